import type { FastifyRequest } from 'fastify';
import {
  endedSessions,
  findCustomerById,
  findStaffMemberById,
  type SessionRef,
  sessionRefOf,
  verifyRealtimeToken,
} from '../identity/index.js';
import { type Deps, defineGuard, type Guard } from '../platform/index.js';
import type { Participant } from './conversations/participant.js';
import { SupportError } from './support.errors.js';

/**
 * Who a realtime token speaks for, for sockets and the widget's HTTP calls alike: undefined when
 * the token is forged or expired, its session has ended (signed out, revoked, reset), or the
 * customer or staff member behind it is gone or deactivated.
 */
export async function participantOfToken(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  token: unknown,
): Promise<{ participant: Participant; session: SessionRef | undefined } | undefined> {
  const identity = verifyRealtimeToken(deps.config.sessionSecret, token, deps.clock.now());
  if (!identity) return undefined;
  if (identity.kind === 'visitor')
    return { participant: { kind: 'visitor', visitorId: identity.visitorId, name: null }, session: undefined };
  const session = sessionRefOf(identity);
  if (session && (await endedSessions(deps.db, [session], deps.clock.now())).size > 0) return undefined;
  if (identity.kind === 'customer') {
    const customer = await findCustomerById(deps.db, identity.customerId);
    return customer
      ? { participant: { kind: 'customer', customerId: identity.customerId, name: customer.displayName }, session }
      : undefined;
  }
  const staff = await findStaffMemberById(deps.db, identity.staffId);
  if (!staff?.isActive) return undefined;
  return { participant: { kind: 'staff', staffId: identity.staffId, name: staff.displayName, role: staff.role }, session };
}

type WidgetParticipant = Participant & { kind: 'customer' | 'visitor' };

declare module 'fastify' {
  interface FastifyRequest {
    chatParticipant?: WidgetParticipant;
  }
}

/**
 * The widget's identity on HTTP: the same signed token it gives Socket.IO, in the `x-chat-token`
 * header only, never in a URL (images load by signed links instead). Staff tokens open nothing here.
 */
export async function chatParticipant(deps: Deps, request: FastifyRequest): Promise<WidgetParticipant> {
  if (request.chatParticipant) return request.chatParticipant;
  const header = request.headers['x-chat-token'];
  const participant = (await participantOfToken(deps, header))?.participant;
  if (!participant || participant.kind === 'staff') throw SupportError('realtime_unauthorized');
  request.chatParticipant = participant;
  return participant;
}

/** Guard: the request carries a live widget token (customer or visitor) in `x-chat-token`. */
export function requireChatParticipant(deps: Deps): Guard {
  return defineGuard(
    { security: () => [{ chatToken: [] }], refusals: { 401: 'No valid chat token (realtime_unauthorized)' } },
    async (request) => {
      await chatParticipant(deps, request);
    },
  );
}
