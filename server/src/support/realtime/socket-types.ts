import type { ClientToServerEvents, ErrorBody, Locale, ServerToClientEvents } from '@okpay/contracts';
import type { Server, Socket } from 'socket.io';
import type { SessionRef } from '../../identity/index.js';
import type { Participant } from '../conversations/participant.js';

/** Who a socket speaks for, set once in the handshake from its signed token. */
export type SocketData = { participant: Participant; locale: Locale; session?: SessionRef };

// The event map shared with the console and the widget (contracts); nodes send each other nothing of their own.
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What an event's acknowledgement carries when it succeeds. */
export type AnswerOf<E extends keyof ClientToServerEvents> = Exclude<
  Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0],
  ErrorBody
>;
