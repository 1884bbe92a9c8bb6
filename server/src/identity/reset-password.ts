import type { Deps } from '../platform/index.js';
import { recordAudit, withTransaction } from '../platform/index.js';
import { consumeEmailToken } from './email-tokens.js';
import { passwordChangedEmail } from './identity.emails.js';
import { IdentityError } from './identity.errors.js';
import { findCustomerById, revokeAllSessions, updateCustomer } from './identity.repository.js';
import { findPasswordProblem, hashPassword } from './passwords.js';
import type { ClientInfo } from './register-customer.js';

/**
 * Sets the new password with a valid reset token. The token is spent, every session ends and
 * nobody is signed in: the customer logs in again with the new password (OWASP: no auto-login).
 */
export async function resetPassword(deps: Deps, input: { token: string; password: string; client: ClientInfo }) {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  const customer = await withTransaction(deps.pool, async (tx) => {
    const customerId = await consumeEmailToken(tx, { token: input.token, purpose: 'password_reset', now });
    if (!customerId) throw IdentityError('reset_token_invalid');
    const row = await findCustomerById(tx, customerId);
    if (!row) throw IdentityError('reset_token_invalid');
    const problem = findPasswordProblem(input.password, row.email);
    // Throwing rolls the transaction back, so the link still works for a better password.
    if (problem) throw IdentityError(problem);
    await updateCustomer(tx, customerId, { passwordHash, updatedAt: now });
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
  await deps.mailer.send(passwordChangedEmail({ to: customer.email, name: customer.displayName, locale: customer.locale }));
}
