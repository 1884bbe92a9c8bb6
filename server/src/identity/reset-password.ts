import type { Locale } from '@okpay/contracts';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { consumeEmailToken } from './email-tokens.js';
import { passwordChangedEmail } from './identity.emails.js';
import { IdentityError } from './identity.errors.js';
import { customers } from './identity.tables.js';
import { findPasswordProblem, hashPassword } from './passwords.js';
import type { ClientInfo } from './register-customer.js';
import { revokeAllSessions } from './sessions.js';

/**
 * Sets the new password with a valid reset token. The token is spent, every session ends and
 * nobody is signed in: the customer logs in again with the new password (OWASP: no auto-login).
 */
export async function resetPassword(deps: Deps, input: { token: string; password: string; client: ClientInfo }) {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  const customer = await deps.db.transaction(async (tx) => {
    const customerId = await consumeEmailToken(tx, { token: input.token, purpose: 'password_reset', now });
    if (!customerId) throw IdentityError('reset_token_invalid');
    const [row] = await tx.select().from(customers).where(eq(customers.id, customerId));
    if (!row) throw IdentityError('reset_token_invalid');
    const problem = findPasswordProblem(input.password, row.email);
    // Throwing rolls the transaction back, so the link still works for a better password.
    if (problem) throw IdentityError(problem);
    await tx.update(customers).set({ passwordHash, updatedAt: now }).where(eq(customers.id, customerId));
    const ended = await revokeAllSessions(tx, { kind: 'customer', customerId }, now);
    await recordAudit(tx, {
      actor: { type: 'customer', id: customerId },
      action: 'customer.password_reset_completed',
      target: { type: 'customer', id: customerId },
      ip: input.client.ip,
      details: { sessionsEnded: ended },
    });
    return row;
  });
  await deps.mailer.send(passwordChangedEmail({ to: customer.email, name: customer.displayName, locale: customer.locale as Locale }));
}
