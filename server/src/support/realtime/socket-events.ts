import type { ClientToServerEvents } from '@okpay/contracts';
import type { z } from 'zod';
import { AppError, errorBody, PlatformError, parseInput, temporaryFailureReason, unexpectedError } from '../../platform/index.js';
import type { Participant } from '../conversations/participant.js';
import type { SupportDeps } from '../support-deps.js';
import type { AgentActivity } from './agent-activity.js';
import type { AnswerOf, ChatSocket } from './socket-types.js';

type Ack = (response: unknown) => void;

/** A widget's participant: a signed-in customer or an anonymous visitor. */
export type Caller = Participant & { kind: 'customer' | 'visitor' };
export type Staff = Participant & { kind: 'staff' };

type Entry = {
  schema: z.ZodType;
  handler: (payload: never, socket: ChatSocket, participant: never) => Promise<unknown>;
  orderKey: ((payload: never, participant: never) => string) | undefined;
};

/** The events one kind of participant may send; built once per node, shared by all its sockets. */
export type SocketEvents<P extends Participant> = {
  /**
   * Declares an event: its payload is validated, the handler runs with the sending socket and its
   * participant, and the ack always answers with data or the error shape. An ordered event waits
   * for the same socket's previous one with the same order key to finish.
   */
  on<E extends keyof ClientToServerEvents, S extends z.ZodType>(
    event: E,
    schema: S,
    handler: (payload: z.output<S>, socket: ChatSocket, participant: P) => Promise<AnswerOf<E>>,
    options?: { orderKey?: (payload: z.output<S>, participant: P) => string },
  ): void;
};

export type SocketDispatcher = {
  caller: SocketEvents<Caller>;
  staff: SocketEvents<Staff>;
  /** Starts handling a newly connected socket's events. */
  listen(socket: ChatSocket): void;
};

/**
 * Per socket, only what a socket has started using: the chains of its ordered events while any is
 * running (and chat-handlers' access cache). An idle connection has none, so it costs OKPay nothing
 * beyond Socket.IO's own socket, its data and its rooms.
 */
const inOrderOf = new WeakMap<ChatSocket, Map<string, Promise<void>>>();

/**
 * Socket events, shared by chat and voice: one table of events per kind of participant (caller,
 * staff) and one listener function for all sockets, so a connection costs no closures of its own.
 * Every payload is validated, every ack answered (an event this socket may not send, or that does
 * not exist, with not_found), staff activity noted.
 */
export function socketDispatcher(deps: SupportDeps, activity: AgentActivity): SocketDispatcher {
  const tables = { caller: new Map<string, Entry>(), staff: new Map<string, Entry>() };
  const tableOf = (participant: Participant) => (participant.kind === 'staff' ? tables.staff : tables.caller);
  const eventsOf = <P extends Participant>(table: Map<string, Entry>): SocketEvents<P> => ({
    on(event, schema, handler, options = {}) {
      table.set(event, { schema, handler, orderKey: options.orderKey } as unknown as Entry);
    },
  });

  // Messages a client sends back to back (an outbox flushed after a reconnect) are handled one
  // after another per conversation, so they are numbered in the order sent (Socket.IO keeps a
  // connection's order); an agent's messages to different conversations still go side by side.
  const enqueue = (socket: ChatSocket, key: string, run: () => Promise<void>) => {
    let inOrder = inOrderOf.get(socket);
    if (!inOrder) {
      inOrder = new Map();
      inOrderOf.set(socket, inOrder);
    }
    const next = (inOrder.get(key) ?? Promise.resolve()).then(run);
    inOrder.set(key, next);
    void next.then(() => {
      const chains = inOrderOf.get(socket);
      if (chains?.get(key) !== next) return;
      chains.delete(key);
      if (chains.size === 0) inOrderOf.delete(socket);
    });
  };

  /** After the packet, like Socket.IO's own listeners: a socket that disconnected meanwhile is not served. */
  const handle = (socket: ChatSocket, event: string, entry: Entry, args: unknown[]) => {
    if (!socket.connected) return;
    const { participant, locale } = socket.data;
    // The acknowledgement is always the last argument, however many a client sends.
    const ack = args[args.length - 1];
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
    const refuse = (error: unknown) => {
      const appError = unexpectedError(error);
      if (appError.code === 'service_unavailable')
        deps.logger.warn({ err: error, event }, `realtime handler failed: ${temporaryFailureReason(error)}`);
      else if (!(error instanceof AppError)) deps.logger.error({ err: error, event }, 'realtime handler failed');
      reply(errorBody(appError, locale));
    };
    let parsed: unknown;
    try {
      // Payloads are checked with the schema here, so the table takes them as they come.
      parsed = parseInput(entry.schema, payload ?? {}, locale);
    } catch (error) {
      return refuse(error);
    }
    const run = async () => {
      try {
        if (participant.kind === 'staff') activity.touch(participant.staffId);
        reply(await entry.handler(parsed as never, socket, participant as never));
      } catch (error) {
        refuse(error);
      }
    };
    if (entry.orderKey) enqueue(socket, entry.orderKey(parsed as never, participant as never), run);
    else void run();
  };

  // One listener for every socket: Socket.IO calls it with the socket as `this`.
  function dispatch(this: ChatSocket, event: unknown, ...args: unknown[]): void {
    const entry = typeof event === 'string' ? tableOf(this.data.participant).get(event) : undefined;
    if (entry) {
      process.nextTick(handle, this, event as string, entry, args);
      return;
    }
    // An event this socket may not send (or that does not exist) is answered too, never left hanging.
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as Ack)(errorBody(PlatformError('not_found'), this.data.locale));
  }

  return {
    caller: eventsOf<Caller>(tables.caller),
    staff: eventsOf<Staff>(tables.staff),
    listen(socket) {
      socket.onAny(dispatch);
    },
  };
}
