import type { ClientToServerEvents } from '@okpay/contracts';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, errorBody, PlatformError, parseInput, unexpectedError } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import type { AgentActivity } from './agent-activity.js';
import type { AnswerOf, ChatSocket } from './socket-types.js';

type Ack = (response: unknown) => void;

export type SocketEvents = {
  /**
   * Validates the payload, runs the handler and always answers the ack with data or the error
   * shape. An ordered event waits for the previous one with the same order key to finish.
   */
  on<E extends keyof ClientToServerEvents, S extends z.ZodType>(
    event: E,
    schema: S,
    handler: (payload: z.output<S>) => Promise<AnswerOf<E>>,
    options?: { orderKey?: (payload: z.output<S>) => string },
  ): void;
};

/**
 * One socket's event handling, shared by chat and voice: every payload validated, every ack
 * answered (an event this socket may not send, or that does not exist, with not_found), staff
 * activity noted.
 */
export function socketEvents(deps: SupportDeps, socket: ChatSocket, activity: AgentActivity): SocketEvents {
  const { participant, locale } = socket.data;
  // Messages a client sends back to back (an outbox flushed after a reconnect) are handled one
  // after another per conversation, so they are numbered in the order sent (Socket.IO keeps a
  // connection's order); an agent's messages to different conversations still go side by side.
  const inOrder = new Map<string, Promise<void>>();
  const enqueue = (key: string, run: () => Promise<void>) => {
    const next = (inOrder.get(key) ?? Promise.resolve()).then(run);
    inOrder.set(key, next);
    void next.then(() => {
      if (inOrder.get(key) === next) inOrder.delete(key);
    });
  };

  const knownEvents = new Set<string>();
  const on: SocketEvents['on'] = (event, schema, handler, options = {}) => {
    knownEvents.add(event);
    // Payloads are checked with the schema here, so the listener takes them as they come.
    (socket as unknown as Socket).on(event as string, (...args: unknown[]) => {
      // The acknowledgement is always the last argument, however many a client sends.
      const ack = args[args.length - 1];
      const payload = typeof args[0] === 'function' ? undefined : args[0];
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      const refuse = (error: unknown) => {
        const appError = unexpectedError(error);
        if (appError.code === 'service_unavailable')
          deps.logger.warn({ err: error, event }, 'realtime handler failed: the database is unavailable');
        else if (!(error instanceof AppError)) deps.logger.error({ err: error, event }, 'realtime handler failed');
        reply(errorBody(appError, locale));
      };
      let parsed: z.output<typeof schema>;
      try {
        parsed = parseInput(schema, payload ?? {}, locale);
      } catch (error) {
        return refuse(error);
      }
      const run = async () => {
        try {
          if (participant.kind === 'staff') activity.touch(participant.staffId);
          reply(await handler(parsed));
        } catch (error) {
          refuse(error);
        }
      };
      if (options.orderKey) enqueue(options.orderKey(parsed), run);
      else void run();
    });
  };

  // An event this socket may not send (or that does not exist) is answered too, never left hanging.
  (socket as unknown as Socket).onAny((event: unknown, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof event === 'string' && knownEvents.has(event)) return;
    if (typeof ack === 'function') (ack as Ack)(errorBody(PlatformError('not_found'), locale));
  });

  return { on };
}
