import { eq } from 'drizzle-orm';
import { recordAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { consumeEmailToken } from './email-tokens.js';
import { IdentityError } from './identity.errors.js';
import { customers } from './identity.tables.js';

export async function verifyEmail(deps: Deps, input: { token: string; ip: string | null }) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const customerId = await consumeEmailToken(tx, { token: input.token, purpose: 'email_verification', now });
    if (!customerId) throw IdentityError('verification_token_invalid');
    await tx.update(customers).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(customers.id, customerId));
    await recordAudit(tx, {
      actor: { type: 'customer', id: customerId },
      action: 'customer.email_verified',
      target: { type: 'customer', id: customerId },
      ip: input.ip,
    });
  });
}
