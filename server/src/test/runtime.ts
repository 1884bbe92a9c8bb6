import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../platform/index.js';
import { createLogger, loadConfig } from '../platform/index.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../runtime.js';
import { createTestDatabase } from './database.js';

export type TestRuntimeOptions = {
  env?: Record<string, string>;
  clock?: Clock;
  /** Another node's database to share, or `embedded`: this node starts its own PostgreSQL in `dataDir`. */
  databaseUrl?: string | 'embedded';
  dataDir?: string;
  /** Where log lines go instead of nowhere (with env LOG_LEVEL), to assert on what is logged. */
  logDestination?: { write(line: string): void };
  /** A bank the test can steer, built on the sandbox (see test/acquirer.ts). */
  acquirer?: RuntimeOptions['acquirer'];
};

/** A whole OKPay node on its own fresh database, as the server would run it. */
export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<Runtime> {
  // A second node may share the first one's database.
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'okpay-node-')));
  const config = loadConfig({
    NODE_ENV: 'test',
    ...(databaseUrl === 'embedded' ? {} : { DATABASE_URL: databaseUrl }),
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
    PUBLIC_URL: 'http://okpay.test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Inbound mail only where a test asks for it (on a port of its own, see freePort).
    INBOUND_SMTP_PORT: '0',
    ...options.env,
  });
  return startRuntime(config, createLogger(config.logLevel, false, options.logDestination), {
    clock: options.clock,
    acquirer: options.acquirer,
    webRoot: path.join(dataDir, 'no-web'),
    jobPollingSeconds: 0.5,
  });
}

export { freePort } from '../platform/index.js';
