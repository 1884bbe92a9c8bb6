import { pickLocale } from '@okpay/contracts';
import { isTemporaryDatabaseFailure } from '../../platform/index.js';
import { batchedParticipantOfToken } from '../chat-auth.js';
import type { SupportDeps } from '../support-deps.js';
import { rooms } from './rooms.js';
import type { ChatServer, ChatSocket, SocketData } from './socket-types.js';

export type { ChatSocket, SocketData };

/**
 * The handshake: a signed token (never a cookie, so another site cannot borrow a session) names
 * the participant. Identity is never taken from a payload afterwards.
 */
export function authenticateSockets(io: ChatServer, deps: SupportDeps): void {
  // Handshakes that arrive together are checked together (one statement), as after a node restart.
  const participantOfToken = batchedParticipantOfToken(deps);
  io.use(async (socket, next) => {
    try {
      const known = await participantOfToken(socket.handshake.auth?.token);
      if (!known) return next(new Error('realtime_unauthorized'));
      const locale = pickLocale(socket.handshake.auth?.locale ?? socket.handshake.headers['accept-language'], deps.config.defaultLocale);
      socket.data = { participant: known.participant, locale, session: known.session } satisfies SocketData;
      next();
    } catch (error) {
      // The database is away or too slow to answer: not a refusal, the client should simply try again.
      if (isTemporaryDatabaseFailure(error)) return next(new Error('service_unavailable'));
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
