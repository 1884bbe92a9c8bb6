import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * What every repository takes first: the pool-backed database or an open transaction. Drizzle for
 * ordinary queries; `$client` (the pool, or the transaction's connection) for the named prepared
 * statements of hot paths.
 */
export type Queryable = NodePgDatabase & { $client: pg.Pool | pg.PoolClient };
/** A Queryable known to be inside a transaction: for work whose statements must commit together (savepoints, row locks). */
export type Transaction = NodePgDatabase & { $client: pg.PoolClient };
/** The pool-backed database. */
export type Database = NodePgDatabase & { $client: pg.Pool };

export type DatabaseHandle = { db: Database; pool: pg.Pool; close(): Promise<void> };

export type PoolOptions = pg.PoolConfig & { connectionString: string; applicationName: string };

/** How often a lost database is reported per pool: the first time, then at most every 30 s. */
const lostReportIntervalMs = 30_000;

/**
 * A pool that outlives its database going away. A connection that breaks while idle is dropped
 * and replaced on next use; one that breaks while checked out between two queries emits `error`
 * on its client, which without a listener would end the process: here it is reported, and the
 * next query on that client fails instead (withTransaction then destroys it). TCP keepalive finds
 * connections to a server that vanished without closing them.
 */
export function createPool(options: PoolOptions, logger?: Logger): pg.Pool {
  const { applicationName, ...config } = options;
  const pool = new pg.Pool({ keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: applicationName, ...config });
  let reportedAt = 0;
  const report = (error: Error) => {
    // A pool being ended loses its connections on purpose (a server stopped right after sees them close).
    if (pool.ending) return;
    if (Date.now() - reportedAt < lostReportIntervalMs) return;
    reportedAt = Date.now();
    logger?.warn({ err: error, pool: applicationName }, 'lost a database connection; it is replaced when the database answers');
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  let open = 0;
  const closed: Array<() => void> = [];
  pool.on('connect', () => open++);
  pool.on('remove', () => {
    if (--open === 0) for (const resolve of closed.splice(0)) resolve();
  });
  allClosed.set(pool, () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => closed.push(resolve))));
  return pool;
}

const allClosed = new WeakMap<pg.Pool, () => Promise<void>>();

/**
 * Ends a pool and waits until its connections have really closed. `pool.end()` alone answers once
 * no client is checked out, while the last ones may still be saying goodbye to the server: a
 * database stopped right after would cut them off mid-way.
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  await pool.end();
  await allClosed.get(pool)?.();
}

/**
 * Sends every statement of this connection unnamed. Behind PgBouncer in transaction mode (before
 * 1.21, or without `max_prepared_statements`) consecutive statements may reach different server
 * connections, where a statement prepared on another is unknown.
 */
function sendUnnamed(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const unnamed = (config: unknown, ...rest: unknown[]) =>
    query(
      // Submittables (cursors, streams) pass as they are; only plain query configs carry names here.
      typeof config === 'object' && config !== null && 'name' in config && !('submit' in config) ? { ...config, name: undefined } : config,
      ...rest,
    );
  Object.assign(client, { query: unnamed });
}

export function connectDatabase(
  url: string,
  poolSize: number,
  applicationName = 'okpay',
  logger?: Logger,
  options: { preparedStatements?: boolean; statementTimeoutMs?: number } = {},
): DatabaseHandle {
  const pool = createPool(
    {
      connectionString: url,
      applicationName,
      max: poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      // Sent when the connection starts (a startup parameter), so it holds for every statement of
      // the session without a round trip; a pooler such as PgBouncer refuses parameters it does
      // not know, so the caller leaves it out there.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
    logger,
  );
  if (options.preparedStatements === false) pool.on('connect', sendUnnamed);
  const db = drizzle(pool);
  return { db, pool, close: () => endPool(pool) };
}
