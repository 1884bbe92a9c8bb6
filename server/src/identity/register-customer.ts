import type { Locale, RegisterRequest } from '@okpay/contracts';
import type { Deps } from '../platform/index.js';
import { recordAudit, uniqueViolation, withTransaction } from '../platform/index.js';
import { toCustomerView } from './customer-view.js';
import { issueEmailToken } from './email-tokens.js';
import { emailVerificationTtlHours } from './identity.emails.js';
import { IdentityError } from './identity.errors.js';
import { insertCustomer } from './identity.repository.js';
import { findPasswordProblem, hashPassword } from './passwords.js';
import { sendVerificationEmail } from './send-verification-email.js';
import { createSession } from './sessions.js';

export type ClientInfo = { ip: string | null; userAgent: string | null };

/** Creates the account, signs the customer in and emails a verification link. */
export async function registerCustomer(
  deps: Deps,
  input: RegisterRequest & { locale: Locale; client: ClientInfo },
): Promise<{
  customer: ReturnType<typeof toCustomerView>;
  session: Awaited<ReturnType<typeof createSession>>;
}>;
/**
 * Seeding and imports create the account without signing anyone in; an address the operator
 * already knows to be the customer's (`isEmailVerified`) gets no verification link.
 */
export async function registerCustomer(
  deps: Deps,
  input: RegisterRequest & { locale: Locale; client: ClientInfo; signIn: false; isEmailVerified?: boolean },
): Promise<{ customer: ReturnType<typeof toCustomerView>; session: undefined }>;
export async function registerCustomer(
  deps: Deps,
  input: RegisterRequest & { locale: Locale; client: ClientInfo; signIn?: boolean; isEmailVerified?: boolean },
) {
  const problem = findPasswordProblem(input.password, input.email);
  if (problem) throw IdentityError(problem);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  try {
    const result = await withTransaction(deps.pool, async (tx) => {
      const row = await insertCustomer(tx, {
        email: input.email,
        phone: input.phone ?? null,
        displayName: input.displayName,
        passwordHash,
        locale: input.locale,
        emailVerifiedAt: input.isEmailVerified ? now : null,
        createdAt: now,
        updatedAt: now,
      });
      const verificationToken = input.isEmailVerified
        ? undefined
        : await issueEmailToken(tx, {
            customerId: row.id,
            purpose: 'email_verification',
            now,
            ttlMs: emailVerificationTtlHours * 3_600_000,
          });
      const session =
        input.signIn === false ? undefined : await createSession(deps, { kind: 'customer', customerId: row.id }, input.client, tx);
      await recordAudit(tx, {
        actor: { type: 'customer', id: row.id },
        action: 'customer.registered',
        target: { type: 'customer', id: row.id },
        ip: input.client.ip,
      });
      return { row, session, verificationToken };
    });
    if (result.verificationToken) await sendVerificationEmail(deps, result.row, result.verificationToken);
    return { customer: toCustomerView(result.row), session: result.session };
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'customers_email_key') throw IdentityError('email_taken');
    if (constraint === 'customers_phone_key') throw IdentityError('phone_taken');
    throw error;
  }
}
