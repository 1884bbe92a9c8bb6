import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { loadConfig } from '../config.js';
import { startJobs } from '../jobs.js';
import { createLogger } from '../logger.js';
import { clusterInitdbFlags, ensureDatabase, startEmbeddedPostgres } from './embedded-postgres.js';
import { migrateDatabase } from './migrate.js';
import { openDatabaseUrl } from './open-database.js';
import { assertSearchLocale, SearchLocaleError } from './search-locale.js';

const logger = createLogger('silent');
const oldFlags = clusterInitdbFlags.map((flag) => (flag === '--locale=C.UTF-8' ? '--locale=C' : flag));
const folders: string[] = [];

afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('the database locale Chinese search needs', () => {
  it('initialises new embedded clusters with a UTF-8 character type, under which Chinese has trigrams', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-locale-new-'));
    folders.push(dataDir);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) });
    const { url, cluster } = await openDatabaseUrl(config, logger);
    try {
      await query(url, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const [row] = await query<{ ctype: string; trigrams: number }>(
        url,
        `SELECT datctype AS ctype, cardinality(show_trgm('充值失败')) AS trigrams FROM pg_database WHERE datname = current_database()`,
      );
      expect(row).toEqual({ ctype: 'C.UTF-8', trigrams: expect.any(Number) });
      expect(row?.trigrams).toBeGreaterThan(0);
    } finally {
      await cluster?.stop();
    }
  });

  it('moves a data folder created with --locale=C to C.UTF-8 on start, keeping every row and queued job', {
    timeout: 180_000,
  }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-locale-old-'));
    folders.push(dataDir);
    // The folder as an earlier release left it: locale C, migrated, with customers and a queued job.
    const old = await startEmbeddedPostgres({ dataDir, initdbFlags: oldFlags, durable: false, logger });
    const oldUrl = old.urlFor('okpay');
    await ensureDatabase(old.urlFor('postgres'), 'okpay');
    await migrateDatabase(oldUrl);
    await query(
      oldUrl,
      `INSERT INTO customers (email, display_name, password_hash) SELECT 'c' || n || '@okpay.test', '客户' || n, 'hash' FROM generate_series(1, 2500) n`,
    );
    const jobs = await startJobs({ url: oldUrl, logger });
    await jobs.send('locale-test.queue', { note: '未完成的任务' }, { startAfterSeconds: 3600 });
    await jobs.stop();
    await query(oldUrl, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const [before] = await query<{ trigrams: number }>(oldUrl, `SELECT cardinality(show_trgm('充值失败')) AS trigrams`);
    expect(before?.trigrams).toBe(0);
    await old.stop();

    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) });
    const { url, cluster } = await openDatabaseUrl(config, logger);
    try {
      await query(url, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const [after] = await query<{ ctype: string; customers: number; named: string; jobs: number; trigrams: number }>(
        url,
        `SELECT (SELECT datctype FROM pg_database WHERE datname = current_database()) AS ctype,
                (SELECT count(*)::int FROM customers) AS customers,
                (SELECT display_name FROM customers WHERE email = 'c2500@okpay.test') AS named,
                (SELECT count(*)::int FROM pgboss.job WHERE name = 'locale-test.queue' AND data->>'note' = '未完成的任务') AS jobs,
                cardinality(show_trgm('充值失败')) AS trigrams`,
      );
      expect(after).toEqual({ ctype: 'C.UTF-8', customers: 2500, named: '客户2500', jobs: 1, trigrams: expect.any(Number) });
      expect(after?.trigrams).toBeGreaterThan(0);
      // Ledger rules still hold in the copy: the system accounts came over once, not twice.
      const [accounts] = await query<{ count: number }>(
        url,
        'SELECT count(*)::int AS count FROM ledger_accounts WHERE system_code IS NOT NULL',
      );
      const [fresh] = await query<{ count: number }>(
        await createTestDatabase(),
        'SELECT count(*)::int AS count FROM ledger_accounts WHERE system_code IS NOT NULL',
      );
      expect(accounts?.count).toBe(fresh?.count);
      expect(existsSync(path.join(dataDir, 'postgres-c-locale', 'PG_VERSION'))).toBe(true);
    } finally {
      await cluster?.stop();
    }

    // A second start reuses the moved data and does not copy again.
    const again = await openDatabaseUrl(config, logger);
    try {
      const [row] = await query<{ customers: number }>(again.url, 'SELECT count(*)::int AS customers FROM customers');
      expect(row?.customers).toBe(2500);
    } finally {
      await again.cluster?.stop();
    }
  });

  it('refuses a database server whose character type is C and says how to move the data', async () => {
    const scratch = await createTestDatabase();
    const name = `okpay_c_${Date.now()}`;
    await query(scratch, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LOCALE 'C'`);
    const url = new URL(scratch);
    url.pathname = `/${name}`;
    const refusal = await assertSearchLocale(url.toString()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SearchLocaleError);
    expect(String((refusal as Error).message)).toMatch(/LC_CTYPE=C;.*C\.UTF-8[\s\S]*pg_dump/);
  });
});
