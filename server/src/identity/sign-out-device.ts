import { type Deps, recordAudit, withTransaction } from '../platform/index.js';
import { IdentityError } from './identity.errors.js';
import { findSessionIdByPublicId, revokeSession } from './identity.repository.js';
import type { Principal } from './sessions.js';

/** Ends one of the account's own sessions by its public id; another account's session is not found. */
export async function signOutDevice(
  deps: Pick<Deps, 'db' | 'pool' | 'clock'>,
  input: { principal: Principal; publicId: string; actor: { type: 'customer' | 'staff'; id: string }; ip: string },
): Promise<void> {
  const sessionId = await findSessionIdByPublicId(deps.db, input.principal, input.publicId);
  if (!sessionId) throw IdentityError('session_not_found');
  await withTransaction(deps.pool, async (tx) => {
    await revokeSession(tx, sessionId, deps.clock.now());
    await recordAudit(tx, { actor: input.actor, action: 'session.revoked', target: { type: 'session', id: input.publicId }, ip: input.ip });
  });
}
