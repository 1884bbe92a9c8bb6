import type { Server as HttpServer } from 'node:http';
import {
  type Locale,
  pickLocale,
  presenceSchema,
  readSchema,
  resumeConversationSchema,
  sendMessageSchema,
  startConversationSchema,
  typingSchema,
} from '@okpay/contracts';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { endedSessions, type SessionRef, sessionRefKey } from '../../identity/index.js';
import { AppError, PlatformError } from '../../platform/errors.js';
import { errorBody } from '../../platform/http/error-handler.js';
import { participantOfToken } from '../chat-auth.js';
import { type ConversationRow, getConversationFor, toMessageView } from '../conversations/conversation-row.js';
import { toCustomerConversation } from '../conversations/customer-view.js';
import { listMessagesAfter } from '../conversations/list-messages.js';
import { markRead } from '../conversations/mark-read.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import { startConversation } from '../conversations/start-conversation.js';
import { setPresence, touchAgent } from '../routing/presence.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { rooms } from './rooms.js';
import { socketNotifier } from './socket-notifier.js';

type SocketData = { participant: Participant; locale: Locale; session?: SessionRef };
type ChatSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type Ack = (response: unknown) => void;

export type Realtime = { io: Server; close(): Promise<void> };

/** How often each node looks for sockets whose session has ended since they connected. */
const sessionCheckMs = 15_000;

/**
 * Live chat over Socket.IO. Sockets authenticate with a signed token in the handshake (never a
 * cookie), customers reach only their own conversations, and every message is committed with its
 * sequence number before it is broadcast. Nodes share rooms through the Postgres adapter, or the
 * Redis adapter when REDIS_URL is set.
 */
export async function startRealtime(httpServer: HttpServer, deps: SupportDeps, options: { databaseUrl: string }): Promise<Realtime> {
  const io = new Server(httpServer, {
    path: '/socket.io',
    // The widget runs on other sites; tokens, not cookies, carry identity, so any origin may connect.
    cors: { origin: true, credentials: false },
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const closers: Array<() => Promise<void>> = [];
  if (deps.config.redisUrl) {
    const publisher = createClient({ url: deps.config.redisUrl });
    const subscriber = publisher.duplicate();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createRedisAdapter(publisher, subscriber));
    closers.push(async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    });
  } else {
    // Notifications are fan-out hints, not data: their commits need not wait for the disk.
    const adapterPool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 4,
      application_name: 'okpay-realtime',
      options: '-c synchronous_commit=off',
    });
    adapterPool.on('error', (error) => deps.logger.warn({ err: error }, 'realtime adapter connection error'));
    const notifyingPool = coalescingNotifies(adapterPool);
    io.adapter(
      createPostgresAdapter(notifyingPool, { errorHandler: (error) => deps.logger.warn({ err: error }, 'realtime adapter error') }),
    );
    // Ends once the notifies already made (the adapter's goodbye among them) have gone out.
    closers.push(() => notifyingPool.end());
  }
  deliverLocallyWhenAlone(io);
  const sessionCheck = setInterval(() => {
    disconnectEndedSessions(deps, io).catch((error) => deps.logger.warn({ err: error }, 'session check failed'));
  }, sessionCheckMs).unref();
  closers.push(async () => clearInterval(sessionCheck));
  deps.notifier.connect(socketNotifier(io, deps.logger));
  const touch = agentToucher(deps);

  io.use(async (socket, next) => {
    try {
      const known = await participantOfToken(deps, socket.handshake.auth?.token);
      if (!known) return next(new Error('realtime_unauthorized'));
      const locale = pickLocale(socket.handshake.auth?.locale ?? socket.handshake.headers['accept-language'], deps.config.defaultLocale);
      socket.data = { participant: known.participant, locale, session: known.session } satisfies SocketData;
      next();
    } catch (error) {
      deps.logger.error({ err: error }, 'realtime handshake failed');
      next(new Error('realtime_unauthorized'));
    }
  });

  io.on('connection', (raw) => {
    const socket = raw as ChatSocket;
    const { participant } = socket.data;
    if (participant.kind === 'customer') void socket.join(rooms.customer(participant.customerId));
    if (participant.kind === 'visitor') void socket.join(rooms.visitor(participant.visitorId));
    if (participant.kind === 'staff') {
      void socket.join([rooms.staff(participant.staffId), rooms.agents, ...(participant.role === 'agent' ? [] : [rooms.supervisors])]);
      touch(participant.staffId, { force: true });
    }
    registerHandlers(deps, socket, touch);
    socket.on('disconnect', () => {
      if (participant.kind === 'staff') scheduleOfflineCheck(deps, io, participant.staffId);
    });
  });

  return {
    io,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const closer of closers) await closer().catch(() => undefined);
    },
  };
}

/**
 * A socket outlives the token it connected with, so a signed-out, revoked or reset session would
 * keep its live chat open. Each node checks its own sockets and disconnects those whose session
 * has ended; the clients then need a new token, which an ended session cannot get.
 */
export async function disconnectEndedSessions(deps: SupportDeps, io: Server): Promise<number> {
  const bySession = new Map<string, { ref: SessionRef; sockets: ChatSocket[] }>();
  for (const raw of io.of('/').sockets.values()) {
    const socket = raw as ChatSocket;
    const ref = socket.data.session;
    if (!ref) continue;
    const key = sessionRefKey(ref);
    const entry = bySession.get(key) ?? { ref, sockets: [] };
    entry.sockets.push(socket);
    bySession.set(key, entry);
  }
  const ended = await endedSessions(
    deps.pool,
    [...bySession.values()].map((entry) => entry.ref),
    deps.clock.now(),
  );
  let disconnected = 0;
  for (const key of ended) {
    for (const socket of bySession.get(key)?.sockets ?? []) {
      socket.disconnect(true);
      disconnected += 1;
    }
  }
  return disconnected;
}

/** When an agent's last socket goes (on every node), wait out reconnects, then mark them offline. */
function scheduleOfflineCheck(deps: SupportDeps, io: Server, staffId: string): void {
  setTimeout(() => {
    void (async () => {
      const sockets = await io.in(rooms.staff(staffId)).fetchSockets();
      if (sockets.length > 0) return;
      const presence = await deps.pool.query<{ status: string }>('SELECT status FROM agent_presence WHERE staff_id = $1', [staffId]);
      if (presence.rows[0] && presence.rows[0].status !== 'offline') await setPresence(deps, staffId, 'offline', 'disconnect');
    })().catch((error) => deps.logger.warn({ err: error, staffId }, 'offline check failed'));
  }, deps.config.support.offlineGraceSeconds * 1000).unref();
}

/**
 * Agent activity keeps the agent online (see touchAgent). Every chat event used to run that UPDATE,
 * and with an agent in many chats those updates queued on one row lock, each behind a durable
 * commit. Once per agent per interval on this node is enough: the interval is a tenth of the
 * away-after time, so an idle agent goes away at most that much early. Connecting always touches.
 */
function agentToucher(deps: SupportDeps): (staffId: string, options?: { force?: boolean }) => void {
  const intervalMs = Math.min(30_000, (deps.config.support.awayAfterMinutes * 60_000) / 10);
  const lastTouched = new Map<string, number>();
  return (staffId, options = {}) => {
    const now = deps.clock.now().getTime();
    const last = lastTouched.get(staffId);
    if (!options.force && last !== undefined && now >= last && now - last < intervalMs) return;
    lastTouched.set(staffId, now);
    touchAgent(deps, staffId).catch(() => {
      // Best effort, as before; the next event tries again.
      if (lastTouched.get(staffId) === now) lastTouched.delete(staffId);
    });
  };
}

/**
 * How long a socket remembers that it may use a conversation, so a message costs no extra read.
 * Only the access decision (ownership, which never changes) comes from here: post-message takes the
 * conversation's status, assignee and the rest from the statement that stores the message, and that
 * statement refuses closed conversations.
 */
const accessCacheMs = 30_000;
const accessCacheSize = 100;

function registerHandlers(deps: SupportDeps, socket: ChatSocket, touch: ReturnType<typeof agentToucher>): void {
  const { participant, locale } = socket.data;
  const access = new Map<string, { conversation: ConversationRow; until: number }>();
  const remember = (conversation: ConversationRow) => {
    if (access.size >= accessCacheSize) access.clear();
    access.set(conversation.id, { conversation, until: performance.now() + accessCacheMs });
    return conversation;
  };
  /** The conversation if this socket may use it: from the short-lived cache, else read and checked. */
  const accessible = async (conversationId: string): Promise<ConversationRow> => {
    const cached = access.get(conversationId);
    if (cached && performance.now() < cached.until) return cached.conversation;
    return remember(await getConversationFor(deps.pool, conversationId, participant));
  };

  /** Validates the payload, runs the handler and always answers the ack with data or the error shape. */
  const on = <S extends z.ZodType>(event: string, schema: S, handler: (payload: z.output<S>) => Promise<unknown>) => {
    (socket as unknown as Socket).on(event, async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      try {
        const parsed = schema.safeParse(payload ?? {});
        if (!parsed.success) {
          const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'payload').join(', ');
          throw PlatformError('validation_failed', { fields });
        }
        if (participant.kind === 'staff') touch(participant.staffId);
        reply(await handler(parsed.data));
      } catch (error) {
        const appError = error instanceof AppError ? error : PlatformError('internal_error');
        if (!(error instanceof AppError)) deps.logger.error({ err: error, event }, 'realtime handler failed');
        reply(errorBody(appError, locale));
      }
    });
  };

  const isStaff = participant.kind === 'staff';
  const roomsFor = (conversationId: string) =>
    isStaff ? rooms.staffConversation(conversationId) : rooms.customerConversation(conversationId);

  if (!isStaff) {
    on('conversation:start', startConversationSchema, async (payload) => {
      const { conversation } = await startConversation(deps, {
        participant: participant as Participant & { kind: 'customer' | 'visitor' },
        category: payload.category,
        links: payload.links,
        message: payload.message,
        clientMessageId: payload.clientMessageId,
        locale: payload.locale ?? locale,
      });
      remember(conversation);
      await socket.join(rooms.customerConversation(conversation.id));
      const messages = await listMessagesAfter(deps.pool, { conversationId: conversation.id, afterSeq: 0, includeInternal: false });
      return { conversation: await toCustomerConversation(deps.pool, conversation), messages: messages.map(toMessageView) };
    });
  }

  // Resume after a reconnect: everything after the last sequence number the client saw.
  on(isStaff ? 'conversation:open' : 'conversation:resume', resumeConversationSchema, async (payload) => {
    const conversation = remember(await getConversationFor(deps.pool, payload.conversationId, participant));
    await socket.join(roomsFor(conversation.id));
    const messages = await listMessagesAfter(deps.pool, {
      conversationId: conversation.id,
      afterSeq: payload.afterSeq,
      includeInternal: isStaff,
    });
    return {
      conversation: isStaff ? { id: conversation.id, status: conversation.status } : await toCustomerConversation(deps.pool, conversation),
      messages: messages.map(toMessageView),
    };
  });

  on('conversation:leave', resumeConversationSchema.pick({ conversationId: true }), async (payload) => {
    await socket.leave(roomsFor(payload.conversationId));
    return { ok: true };
  });

  on('message:send', sendMessageSchema, async (payload) => {
    const conversation = await accessible(payload.conversationId);
    if (!payload.body && !payload.attachmentId) throw SupportError('message_empty');
    const { message } = await postMessage(deps, {
      conversation,
      author: participant,
      body: payload.body,
      clientMessageId: payload.clientMessageId,
      attachmentId: payload.attachmentId,
      isInternal: isStaff && payload.isInternal === true,
    });
    return { message: toMessageView(message) };
  });

  on('typing', typingSchema, async (payload) => {
    await accessible(payload.conversationId);
    const event = {
      conversationId: payload.conversationId,
      isTyping: payload.isTyping,
      from: isStaff ? 'agent' : 'customer',
      name: isStaff ? participant.name : null,
    };
    // Typing is best-effort: volatile, to the other side only.
    socket.volatile
      .to(isStaff ? rooms.customerConversation(payload.conversationId) : rooms.staffConversation(payload.conversationId))
      .emit('typing' as never, event as never);
    return { ok: true };
  });

  on('read', readSchema, async (payload) => {
    // A fresh read: the receipt is clamped to the conversation's current last sequence number.
    const conversation = await getConversationFor(deps.pool, payload.conversationId, participant);
    return { seq: await markRead(deps, conversation, participant, payload.seq) };
  });

  if (isStaff) {
    on('presence:set', presenceSchema, async (payload) => {
      await setPresence(deps, participant.staffId, payload.status);
      return { status: payload.status };
    });
  }
}

const notifyStatement = 'SELECT pg_notify($1, $2)';
const notifyBatchLimit = 500;

/**
 * The Postgres adapter NOTIFYs once per broadcast, each its own transaction, and NOTIFY commits
 * take a global lock. This pool hands the adapter's notifies, while one is in flight, to the next
 * single statement: one transaction for the batch, notifications in the order they were made (and
 * so in order across batches, which one-at-a-time separate queries did not promise). PostgreSQL
 * folds identical payloads on one channel within a transaction into one, so a repeated payload
 * starts a new batch. Every other query goes to the pool unchanged; end() waits for queued notifies.
 */
export function coalescingNotifies(pool: pg.Pool): pg.Pool {
  type Pending = { channel: string; payload: string; resolve: () => void; reject: (error: unknown) => void };
  const queue: Pending[] = [];
  let flushing = false;
  let drained: Promise<void> = Promise.resolve();
  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const channel = queue[0]?.channel;
      const seen = new Set<string>();
      let count = 0;
      while (count < queue.length && count < notifyBatchLimit) {
        const next = queue[count] as Pending;
        if (next.channel !== channel || seen.has(next.payload)) break;
        seen.add(next.payload);
        count += 1;
      }
      const batch = queue.splice(0, count);
      try {
        await pool.query(
          'SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS sent(payload, position) ORDER BY position',
          [channel, batch.map((item) => item.payload)],
        );
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    flushing = false;
  };
  const notify = (channel: string, payload: string) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ channel, payload, resolve, reject });
      if (!flushing) drained = flush();
    });
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (text: unknown, values?: unknown[]) =>
          text === notifyStatement && values?.length === 2
            ? notify(String(values[0]), String(values[1]))
            : target.query(text as string, values);
      }
      // Like the pool's own end(), which finishes what was queued before it: queued notifies go out first.
      if (property === 'end') return () => drained.then(() => target.end());
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type HeartbeatAdapter = {
  nodesMap?: Map<string, number>;
  broadcast(packet: unknown, options: { flags?: Record<string, unknown> }): unknown;
};

/**
 * The cluster adapters publish every broadcast to the other nodes and wait for that before
 * delivering locally, even when there are none. A node that has heard no other node's heartbeat
 * delivers locally at once. A node that has just joined is heard within its first heartbeat; a
 * broadcast missed in that instant is caught up by the clients' resume-by-sequence.
 */
function deliverLocallyWhenAlone(io: Server): void {
  const adapter = io.of('/').adapter as unknown as HeartbeatAdapter;
  if (!adapter.nodesMap) return;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) =>
    broadcast(packet, adapter.nodesMap?.size === 0 ? { ...options, flags: { ...options.flags, local: true } } : options);
}
