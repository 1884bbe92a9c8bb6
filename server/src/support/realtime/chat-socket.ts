import { type Locale, pickLocale } from '@okpay/contracts';
import type { Server, Socket } from 'socket.io';
import type { SessionRef } from '../../identity/index.js';
import { isDatabaseUnavailable } from '../../platform/db/errors.js';
import { participantOfToken } from '../chat-auth.js';
import type { Participant } from '../conversations/participant.js';
import type { SupportDeps } from '../support-deps.js';
import { rooms } from './rooms.js';

/** What a socket carries once its handshake is accepted: who it speaks for, in which language. */
export type SocketData = { participant: Participant; locale: Locale; session?: SessionRef };
export type ChatSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

/**
 * The handshake: a signed token (never a cookie, so another site cannot borrow a session) names
 * the participant. Identity is never taken from a payload afterwards.
 */
export function authenticateSockets(io: Server, deps: SupportDeps): void {
  io.use(async (socket, next) => {
    try {
      const known = await participantOfToken(deps, socket.handshake.auth?.token);
      if (!known) return next(new Error('realtime_unauthorized'));
      const locale = pickLocale(socket.handshake.auth?.locale ?? socket.handshake.headers['accept-language'], deps.config.defaultLocale);
      socket.data = { participant: known.participant, locale, session: known.session } satisfies SocketData;
      next();
    } catch (error) {
      // The database is away: not a refusal, the client should simply try again.
      if (isDatabaseUnavailable(error)) return next(new Error('service_unavailable'));
      deps.logger.error({ err: error }, 'realtime handshake failed');
      next(new Error('realtime_unauthorized'));
    }
  });
}

/** The rooms a participant hears from without opening a conversation: their own, and staff-wide ones. */
export function joinOwnRooms(socket: ChatSocket): void {
  const { participant } = socket.data;
  if (participant.kind === 'customer') void socket.join(rooms.customer(participant.customerId));
  if (participant.kind === 'visitor') void socket.join(rooms.visitor(participant.visitorId));
  if (participant.kind === 'staff') {
    void socket.join([rooms.staff(participant.staffId), rooms.agents, ...(participant.role === 'agent' ? [] : [rooms.supervisors])]);
  }
}
