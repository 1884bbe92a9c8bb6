import { checkPhoneNumber } from '@okpay/contracts';
import { PhoneError } from './phone.errors.js';

/** A number we may call back (see checkPhoneNumber: E.164, mainland mobile rules). */
export function callbackNumber(input: string): string {
  const checked = checkPhoneNumber(input);
  if (!checked.ok) throw PhoneError(checked.problem === 'mainland_mobile' ? 'callback_mobile_invalid' : 'callback_number_invalid');
  return checked.number;
}
