import type { Deps } from '../platform/index.js';
import { recordAudit, withTransaction } from '../platform/index.js';
import { consumeEmailToken } from './email-tokens.js';
import { IdentityError } from './identity.errors.js';
import { updateCustomer } from './identity.repository.js';

export async function verifyEmail(deps: Deps, input: { token: string; ip: string | null }) {
  const now = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    const customerId = await consumeEmailToken(tx, { token: input.token, purpose: 'email_verification', now });
    if (!customerId) throw IdentityError('verification_token_invalid');
    await updateCustomer(tx, customerId, { emailVerifiedAt: now, updatedAt: now });
    await recordAudit(tx, {
      actor: { type: 'customer', id: customerId },
      action: 'customer.email_verified',
      target: { type: 'customer', id: customerId },
      ip: input.ip,
    });
  });
}
