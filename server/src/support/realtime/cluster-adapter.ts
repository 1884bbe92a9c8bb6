import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { SupportDeps } from '../support-deps.js';
import { coalescingNotifies } from './coalescing-notifies.js';
import { deliverLocallyWhenAlone } from './local-delivery.js';

/**
 * Shares rooms between nodes: the Redis adapter when REDIS_URL is set, otherwise PostgreSQL
 * LISTEN/NOTIFY. Returns what to close at shutdown.
 */
export async function attachClusterAdapter(io: Server, deps: SupportDeps, databaseUrl: string): Promise<() => Promise<void>> {
  let close: () => Promise<void>;
  if (deps.config.redisUrl) {
    const publisher = createClient({ url: deps.config.redisUrl });
    const subscriber = publisher.duplicate();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createRedisAdapter(publisher, subscriber));
    close = async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    };
  } else {
    // Notifications are fan-out hints, not data: their commits need not wait for the disk.
    const adapterPool = new pg.Pool({
      connectionString: databaseUrl,
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
    close = () => notifyingPool.end();
  }
  deliverLocallyWhenAlone(io);
  return close;
}
