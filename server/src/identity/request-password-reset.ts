import type { Deps, RateLimiter } from '../platform/index.js';
import { type Actor, PlatformError, recordAudit, withTransaction } from '../platform/index.js';
import { issueEmailToken } from './email-tokens.js';
import { passwordResetEmail, passwordResetTtlMinutes } from './identity.emails.js';
import { type CustomerRow, findCustomerByEmail, findCustomerById, retireEmailTokens } from './identity.repository.js';
import type { ClientInfo } from './register-customer.js';

export type ResetLimits = { perAccount: RateLimiter; perIp: RateLimiter };

/** Every answer takes at least this long, so timing does not reveal whether the email exists. */
export const resetMinimumResponseMs = 400;

/** Issues a fresh single-use link (older ones stop working) and emails it in the customer's language. */
async function sendPasswordResetLink(deps: Deps, customer: CustomerRow, actor: Actor, ip: string | null): Promise<void> {
  const now = deps.clock.now();
  const token = await withTransaction(deps.pool, async (tx) => {
    await retireEmailTokens(tx, customer.id, 'password_reset', now);
    const issued = await issueEmailToken(tx, {
      customerId: customer.id,
      purpose: 'password_reset',
      now,
      ttlMs: passwordResetTtlMinutes * 60_000,
    });
    await recordAudit(tx, { actor, action: 'customer.password_reset_requested', target: { type: 'customer', id: customer.id }, ip });
    return issued;
  });
  await deps.mailer.send(
    passwordResetEmail({
      to: customer.email,
      name: customer.displayName,
      locale: customer.locale,
      url: `${deps.config.publicUrl}/reset-password?token=${token}`,
    }),
  );
}

/**
 * OWASP Forgot Password: the caller always gets the same answer; a link goes out only when
 * the account exists. The token is single-use, hashed at rest and expires in 30 minutes.
 */
export async function requestPasswordReset(deps: Deps, input: { email: string; client: ClientInfo }, limits: ResetLimits) {
  const startedAt = performance.now();
  await limits.perIp.consume(input.client.ip ?? 'unknown');
  await limits.perAccount.consume(input.email);
  try {
    const customer = await findCustomerByEmail(deps.db, input.email);
    if (customer) {
      await sendPasswordResetLink(deps, customer, { type: 'anonymous' }, input.client.ip);
    } else {
      await recordAudit(deps.db, {
        actor: { type: 'anonymous' },
        action: 'customer.password_reset_requested',
        outcome: 'failure',
        ip: input.client.ip,
        details: { reason: 'unknown_email' },
      });
    }
  } finally {
    const remaining = resetMinimumResponseMs - (performance.now() - startedAt);
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining + Math.random() * 50));
  }
}

/** An agent sends the reset link from the console, for a customer who cannot get in. */
export async function requestPasswordResetByStaff(
  deps: Deps,
  input: { customerId: string; staffId: string; ip: string | null },
): Promise<void> {
  const customer = await findCustomerById(deps.db, input.customerId);
  if (!customer) throw PlatformError('not_found');
  await sendPasswordResetLink(deps, customer, { type: 'staff', id: input.staffId }, input.ip);
}
