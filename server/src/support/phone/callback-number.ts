import { PhoneError } from './phone.errors.js';
import { e164Pattern } from './phone-numbers.js';

/**
 * A number we may call back: E.164 ("+8613800138000"; spaces and dashes allowed and dropped). A
 * +86 number starting with 1 is a mainland mobile: 11 digits, 13–19; other +86 numbers are
 * landlines with area code, 10–11 digits.
 */
export function callbackNumber(input: string): string {
  const number = input.replace(/[\s-]/g, '');
  if (!e164Pattern.test(number)) throw PhoneError('callback_number_invalid');
  if (number.startsWith('+86')) {
    const national = number.slice(3);
    if (national.startsWith('1')) {
      if (!/^1[3-9][0-9]{9}$/.test(national)) throw PhoneError('callback_mobile_invalid');
    } else if (!/^[2-9][0-9]{9,10}$/.test(national)) {
      throw PhoneError('callback_number_invalid');
    }
  }
  return number;
}
