import type { SessionInfo } from '@okpay/contracts';
import type { Deps } from '../platform/index.js';
import { listLiveSessions, type Principal, publicSessionId } from './sessions.js';

/** Where the account is signed in, most recently used first; the caller's own device is marked. */
export async function listSignedInDevices(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  principal: Principal,
  currentSessionId: string,
): Promise<SessionInfo[]> {
  const rows = await listLiveSessions(deps, principal);
  return rows.map((row) => ({
    id: publicSessionId(row.id),
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ip: row.ip,
    userAgent: row.userAgent,
    isCurrent: row.id === currentSessionId,
  }));
}
