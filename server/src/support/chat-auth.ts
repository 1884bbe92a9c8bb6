import type { StaffRole } from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { endedSessions, type SessionRef, sessionRefOf, verifyRealtimeToken } from '../identity/index.js';
import type { Deps } from '../platform/deps.js';
import type { Participant } from './conversations/participant.js';
import { SupportError } from './support.errors.js';

/**
 * Who a realtime token speaks for, for sockets and the widget's HTTP calls alike: undefined when
 * the token is forged or expired, its session has ended (signed out, revoked, reset), or the
 * customer or staff member behind it is gone or deactivated.
 */
export async function participantOfToken(
  deps: Pick<Deps, 'pool' | 'config' | 'clock'>,
  token: unknown,
): Promise<{ participant: Participant; session: SessionRef | undefined } | undefined> {
  const identity = verifyRealtimeToken(deps.config.sessionSecret, token, deps.clock.now());
  if (!identity) return undefined;
  if (identity.kind === 'visitor')
    return { participant: { kind: 'visitor', visitorId: identity.visitorId, name: null }, session: undefined };
  const session = sessionRefOf(identity);
  if (session && (await endedSessions(deps.pool, [session], deps.clock.now())).size > 0) return undefined;
  if (identity.kind === 'customer') {
    const found = await deps.pool.query<{ display_name: string }>('SELECT display_name FROM customers WHERE id = $1', [
      identity.customerId,
    ]);
    const row = found.rows[0];
    return row ? { participant: { kind: 'customer', customerId: identity.customerId, name: row.display_name }, session } : undefined;
  }
  const found = await deps.pool.query<{ display_name: string; role: StaffRole; is_active: boolean }>(
    'SELECT display_name, role, is_active FROM staff_members WHERE id = $1',
    [identity.staffId],
  );
  const row = found.rows[0];
  if (!row?.is_active) return undefined;
  return { participant: { kind: 'staff', staffId: identity.staffId, name: row.display_name, role: row.role }, session };
}

/**
 * The widget's identity on HTTP: the same signed token it gives Socket.IO, in `x-chat-token`
 * (or `?token=` where a header cannot be set, such as an <img src>). Staff tokens open nothing here.
 */
export async function chatParticipant(deps: Deps, request: FastifyRequest): Promise<Participant & { kind: 'customer' | 'visitor' }> {
  const header = request.headers['x-chat-token'];
  const query = (request.query as { token?: unknown } | undefined)?.token;
  const participant = (await participantOfToken(deps, typeof header === 'string' ? header : query))?.participant;
  if (!participant || participant.kind === 'staff') throw SupportError('realtime_unauthorized');
  return participant;
}
