import { type Deps, recordAudit, withTransaction } from '../platform/index.js';
import { revokeSession } from './identity.repository.js';
import { publicSessionId, type Session } from './sessions.js';

/** Ends the caller's own session. */
export async function logOut(
  deps: Pick<Deps, 'pool' | 'clock'>,
  input: { session: Session; actor: { type: 'customer' | 'staff'; id: string }; ip: string },
): Promise<void> {
  await withTransaction(deps.pool, async (tx) => {
    await revokeSession(tx, input.session.id, deps.clock.now());
    await recordAudit(tx, {
      actor: input.actor,
      action: 'session.logged_out',
      target: { type: 'session', id: publicSessionId(input.session.id) },
      ip: input.ip,
    });
  });
}
