import type { FastifyRequest } from 'fastify';
import { isTokenSessionEnded, verifyRealtimeToken } from '../identity/index.js';
import type { Deps } from '../platform/deps.js';
import type { Participant } from './conversations/participant.js';
import { SupportError } from './support.errors.js';

/**
 * The widget's identity on HTTP: the same signed token it gives Socket.IO, in `x-chat-token`
 * (or `?token=` where a header cannot be set, such as an <img src>).
 */
export async function chatParticipant(deps: Deps, request: FastifyRequest): Promise<Participant & { kind: 'customer' | 'visitor' }> {
  const header = request.headers['x-chat-token'];
  const query = (request.query as { token?: unknown } | undefined)?.token;
  const identity = verifyRealtimeToken(deps.config.sessionSecret, typeof header === 'string' ? header : query, deps.clock.now());
  if (!identity || identity.kind === 'staff') throw SupportError('realtime_unauthorized');
  if (identity.kind === 'visitor') return { kind: 'visitor', visitorId: identity.visitorId, name: null };
  // Once the session a token was fetched over has ended, the token opens nothing either.
  if (await isTokenSessionEnded(deps.pool, identity, deps.clock.now())) throw SupportError('realtime_unauthorized');
  const found = await deps.pool.query<{ display_name: string }>('SELECT display_name FROM customers WHERE id = $1', [identity.customerId]);
  const row = found.rows[0];
  if (!row) throw SupportError('realtime_unauthorized');
  return { kind: 'customer', customerId: identity.customerId, name: row.display_name };
}
