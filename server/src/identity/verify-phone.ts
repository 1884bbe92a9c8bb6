import { timingSafeEqual } from 'node:crypto';
import type { Customer } from '@okpay/contracts';
import { type Deps, withTransaction } from '../platform/index.js';
import { toCustomerView } from './customer-view.js';
import { IdentityError } from './identity.errors.js';
import {
  countPhoneCodeAttempt,
  deletePhoneVerification,
  findPhoneVerification,
  isPhoneTakenByOther,
  setVerifiedPhone,
} from './identity.repository.js';
import { phoneCodeHash } from './request-phone-verification.js';

const maxAttempts = 5;

/** The customer sends back the texted code: the number becomes theirs, verified (callers on it find their account). */
export async function verifyPhone(
  deps: Pick<Deps, 'db' | 'pool' | 'clock' | 'config'>,
  customerId: string,
  code: string,
): Promise<Customer> {
  const now = deps.clock.now();
  const pending = await findPhoneVerification(deps.db, customerId);
  if (!pending || pending.expiresAt <= now || pending.attempts >= maxAttempts) throw IdentityError('phone_code_expired');
  const expected = Buffer.from(pending.codeHash);
  const given = Buffer.from(phoneCodeHash(deps.config.sessionSecret, customerId, pending.phone, code.trim()));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const attempts = await countPhoneCodeAttempt(deps.db, customerId);
    throw IdentityError(attempts >= maxAttempts ? 'phone_code_expired' : 'phone_code_invalid');
  }
  const row = await withTransaction(deps.pool, async (tx) => {
    if (await isPhoneTakenByOther(tx, customerId, pending.phone)) throw IdentityError('phone_taken');
    await deletePhoneVerification(tx, customerId);
    return setVerifiedPhone(tx, customerId, pending.phone, now);
  }).catch((error: unknown) => {
    // Another account took the number between the check and the write.
    if (error instanceof Error && 'constraint' in error && error.constraint === 'customers_phone_key') throw IdentityError('phone_taken');
    throw error;
  });
  if (!row) throw IdentityError('phone_code_expired');
  return toCustomerView(row);
}
