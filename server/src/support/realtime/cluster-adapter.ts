import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createPool, within } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { coalescingNotifies } from './coalescing-notifies.js';
import { recoveringListener } from './listen-connection.js';
import { deliverLocallyWhenAlone } from './local-delivery.js';
import type { ChatServer } from './socket-types.js';

/** How long a stopping node waits for Redis to take its last commands before dropping the connection. */
const redisCloseMs = 2_000;
/** How long a starting node waits to hear the other nodes (its LISTEN active) before taking clients anyway. */
const defaultListenWaitMs = 5_000;

/**
 * Closes a Redis client, waiting for its last commands, but not for a Redis that does not answer:
 * then the connection is left to finish on its own without holding the process open. (Destroying
 * it would reject commands the Socket.IO adapter sent without waiting for them, as unhandled
 * rejections.)
 */
async function closeWithin(client: { close(): Promise<void>; unref(): void }, timeoutMs: number): Promise<boolean> {
  const settled = client.close().then(
    () => true,
    () => true,
  );
  const closed = await within(settled, timeoutMs, false);
  if (!closed) client.unref();
  return closed;
}

/**
 * Shares rooms between nodes: the Redis adapter when REDIS_URL is set, otherwise PostgreSQL
 * LISTEN/NOTIFY. Returns what to close at shutdown.
 */
export async function attachClusterAdapter(
  io: ChatServer,
  deps: SupportDeps,
  databaseUrl: string,
  { listenWaitMs = defaultListenWaitMs }: { listenWaitMs?: number } = {},
): Promise<() => Promise<void>> {
  let close: () => Promise<void>;
  if (deps.config.redisUrl) {
    // Loaded only where Redis is configured: nodes on the PostgreSQL adapter start without it.
    const [{ createClient }, { createAdapter: createRedisAdapter }] = await Promise.all([
      import('redis'),
      import('@socket.io/redis-adapter'),
    ]);
    const publisher = createClient({ url: deps.config.redisUrl });
    const subscriber = publisher.duplicate();
    // The clients reconnect by themselves with backoff; an `error` without a listener would end the process.
    for (const client of [publisher, subscriber]) {
      client.on('error', (error) => deps.logger.warn({ err: error }, 'realtime Redis connection error; reconnecting'));
    }
    let subscriberConnections = 0;
    // Back on Redis after a loss: what other nodes published meanwhile is gone, so this node's clients catch up.
    subscriber.on('ready', () => {
      if (subscriberConnections++ > 0) io.local.emit('resync', { reason: 'notifications_lost' });
    });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createRedisAdapter(publisher, subscriber));
    close = async () => {
      const closed = await Promise.all([publisher, subscriber].map((client) => closeWithin(client, redisCloseMs)));
      if (closed.includes(false))
        deps.logger.warn('Redis did not answer while this node stopped; its connection was left to close by itself');
    };
  } else {
    // Notifications are fan-out hints, not data: their commits need not wait for the disk.
    const adapterPool = createPool(
      {
        connectionString: databaseUrl,
        applicationName: 'okpay-realtime',
        max: 4,
        connectionTimeoutMillis: 5_000,
        options: '-c synchronous_commit=off',
      },
      deps.logger,
    );
    // Broadcasts lost while the database was away: the messages are stored, so clients that
    // missed their live copy are told to catch up by sequence number (the `resync` event).
    const notifyingPool = coalescingNotifies(adapterPool, {
      onRecovered: () => {
        deps.logger.info('realtime notifications go through again; every node catches its clients up');
        io.emit('resync', { reason: 'notifications_lost' });
      },
    });
    const catchUp = () => io.local.emit('resync', { reason: 'notifications_lost' });
    let isLate = false;
    let heardOthers: () => void = () => undefined;
    const hearsOthers = new Promise<void>((resolve) => {
      heardOthers = resolve;
    });
    const listeningPool = recoveringListener(
      notifyingPool,
      () => {
        deps.logger.info('listening for other nodes again; catching this node’s clients up');
        catchUp();
      },
      () => {
        heardOthers();
        if (!isLate) return;
        isLate = false;
        deps.logger.info('listening for other nodes at last; catching this node’s clients up');
        catchUp();
      },
    );
    io.adapter(
      createPostgresAdapter(listeningPool, { errorHandler: (error) => deps.logger.warn({ err: error }, 'realtime adapter error') }),
    );
    // The node takes clients only once it hears the other nodes: what another node broadcasts before
    // this LISTEN is active never reaches them (a call's side that rejoins here at once, say). A
    // database too slow to allow it does not hold the start up: the clients catch up once it does.
    const isListening = await within(
      hearsOthers.then(() => true),
      listenWaitMs,
      false,
    );
    if (!isListening) {
      isLate = true;
      deps.logger.warn({ waitedMs: listenWaitMs }, 'not listening for other nodes yet; starting anyway');
    }
    // Ends once the notifies already made (the adapter's goodbye among them) have gone out. A node
    // closed while the adapter was still setting up its LISTEN connection never gets that
    // connection back (the adapter releases only a finished one), so the wait is bounded.
    close = async () => {
      await within(notifyingPool.end(), 3_000, undefined);
    };
  }
  deliverLocallyWhenAlone(io, () => deps.logger.info('heard another node again after delivering alone; every node catches its clients up'));
  return close;
}
