import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres.js';
import { migrateDatabase } from './migrate.js';

/** Thrown when the database cannot classify Chinese characters; the message says what to do. */
export class SearchLocaleError extends Error {}

export type DatabaseLocale = { database: string; ctype: string; isUtf8: boolean };

export async function readDatabaseLocale(url: string): Promise<DatabaseLocale> {
  const client = new pg.Client({ connectionString: url, application_name: 'okpay-locale-check' });
  await client.connect();
  try {
    const { rows } = await client.query<{ database: string; ctype: string }>(
      'SELECT datname AS database, datctype AS ctype FROM pg_database WHERE datname = current_database()',
    );
    const row = rows[0] ?? { database: '?', ctype: '?' };
    return { ...row, isUtf8: /utf-?8/i.test(row.ctype) };
  } finally {
    await client.end();
  }
}

/**
 * Help-centre search needs a UTF-8 LC_CTYPE: pg_trgm keeps only characters the ctype calls
 * alphanumeric, and under `C` no Chinese character is, so trigram similarity is always 0.
 */
export async function assertSearchLocale(url: string): Promise<void> {
  const locale = await readDatabaseLocale(url);
  if (locale.isUtf8) return;
  throw new SearchLocaleError(
    [
      `Database "${locale.database}" has LC_CTYPE=${locale.ctype}; Chinese help-centre search needs a UTF-8 character type (C.UTF-8).`,
      'Create a database with it and move the data over, for example:',
      `  CREATE DATABASE okpay_utf8 TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';`,
      `  pg_dump --format=custom "<old database url>" | pg_restore --no-owner --dbname "<new database url>"`,
      'then point DATABASE_URL at the new database. The embedded database (no DATABASE_URL) is moved over automatically.',
    ].join('\n'),
  );
}

const backupDir = 'postgres-c-locale';
const nextDir = 'postgres-next';
const completeMarker = 'OKPAY_COPY_COMPLETE';

export type LocaleUpgradeReport = { tables: number; rows: number; backupDir: string };

/**
 * Moves an embedded cluster initialised with `--locale=C` to a new one with C.UTF-8: the new
 * cluster gets the same migrations, every row is copied table by table and checked by count, and
 * only then are the folders swapped. The old cluster stays beside it in `postgres-c-locale` until
 * the operator deletes it. The caller must own the cluster (no other OKPay process running).
 */
export async function upgradeEmbeddedLocale(options: {
  dataDir: string;
  database: string;
  logger: Logger;
  port?: number;
}): Promise<LocaleUpgradeReport> {
  const root = path.resolve(options.dataDir);
  await rm(path.join(root, nextDir), { recursive: true, force: true });
  const source = await startEmbeddedPostgres({ dataDir: root, port: options.port, logger: options.logger });
  if (source.isShared) {
    throw new SearchLocaleError('Another OKPay process is using the embedded database; stop it, then start OKPay again to move the data.');
  }
  let target: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    const sourceUrl = source.urlFor(options.database);
    await migrateDatabase(sourceUrl);
    target = await startEmbeddedPostgres({ dataDir: root, clusterDir: nextDir, logger: options.logger });
    await ensureDatabase(target.urlFor('postgres'), options.database);
    const targetUrl = target.urlFor(options.database);
    await migrateDatabase(targetUrl);
    const report = await copyDatabase(sourceUrl, targetUrl);
    await writeFile(path.join(root, nextDir, completeMarker), new Date().toISOString());
    await target.stop();
    target = undefined;
    await source.stop();
    await rename(path.join(root, 'postgres'), path.join(root, backupDir));
    await rename(path.join(root, nextDir), path.join(root, 'postgres'));
    await rm(path.join(root, 'postgres', completeMarker), { force: true });
    return { ...report, backupDir: path.join(root, backupDir) };
  } catch (error) {
    await target?.stop().catch(() => undefined);
    await source.stop().catch(() => undefined);
    await rm(path.join(root, nextDir), { recursive: true, force: true });
    throw error;
  }
}

/** Finishes a folder swap that a crash interrupted: the copy was complete, only the rename was not. */
export async function finishInterruptedLocaleUpgrade(dataDir: string): Promise<void> {
  const root = path.resolve(dataDir);
  const current = path.join(root, 'postgres');
  const next = path.join(root, nextDir);
  if (existsSync(current) || !existsSync(path.join(next, completeMarker))) return;
  await rename(next, current);
  await rm(path.join(current, completeMarker), { force: true });
}

const copiedSchemas = ['public', 'pgboss'];
const batchSize = 2000;

async function copyDatabase(sourceUrl: string, targetUrl: string): Promise<{ tables: number; rows: number }> {
  const source = new pg.Client({ connectionString: sourceUrl, application_name: 'okpay-locale-upgrade' });
  const target = new pg.Client({ connectionString: targetUrl, application_name: 'okpay-locale-upgrade' });
  await source.connect();
  await target.connect();
  try {
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // pg-boss's construction script commits by itself, so the job queue's shape is made before the
    // copy's transaction (inside it, it would end the transaction and the setting below with it).
    await copyJobQueueShape(source, target);
    await target.query('BEGIN');
    // Rows arrive in table order, not dependency order, and the append-only triggers refuse
    // nothing here: the copy is the same data, so triggers and foreign-key checks stay off.
    await target.query('SET LOCAL session_replication_role = replica');
    const tables = await source.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = ANY($1) AND NOT (n.nspname = 'pgboss' AND c.relname IN ('version', 'queue'))
        ORDER BY 1, 2`,
      [copiedSchemas],
    );
    // Rows the migrations wrote (system accounts and the like) come back with the copy.
    for (const table of tables.rows)
      await target.query(`DELETE FROM ${target.escapeIdentifier(table.schema)}.${target.escapeIdentifier(table.name)}`);
    let rows = 0;
    for (const table of tables.rows) rows += await copyTable(source, target, table.schema, table.name);
    const sequences = await source.query<{ name: string; lastValue: string | null }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS "lastValue" FROM pg_sequences WHERE schemaname = ANY($1)`,
      [copiedSchemas],
    );
    for (const sequence of sequences.rows) {
      if (sequence.lastValue !== null)
        await target.query('SELECT setval($1::regclass, $2::bigint, true)', [sequence.name, sequence.lastValue]);
    }
    await target.query('COMMIT');
    await source.query('COMMIT');
    await target.query('ANALYZE');
    return { tables: tables.rows.length, rows };
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await source.end();
    await target.end();
  }
}

/** pg-boss keeps one partition per queue, created by its own function; recreate them before their rows arrive. */
async function copyJobQueueShape(source: pg.Client, target: pg.Client): Promise<void> {
  const hasBoss = await source.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'`);
  if (hasBoss.rowCount === 0) return;
  await target.query(PgBoss.getConstructionPlans('pgboss'));
  const queues = await source.query<{ name: string; options: unknown }>(
    `SELECT name, json_build_object('policy', policy, 'retryLimit', retry_limit, 'retryDelay', retry_delay, 'retryBackoff', retry_backoff,
            'expireInSeconds', expire_seconds, 'retentionMinutes', retention_minutes, 'deadLetter', dead_letter) AS options
       FROM pgboss.queue ORDER BY dead_letter NULLS FIRST, name`,
  );
  for (const queue of queues.rows) await target.query('SELECT pgboss.create_queue($1, $2)', [queue.name, JSON.stringify(queue.options)]);
}

async function copyTable(source: pg.Client, target: pg.Client, schema: string, name: string): Promise<number> {
  const qualified = `${source.escapeIdentifier(schema)}.${source.escapeIdentifier(name)}`;
  // Generated columns are computed again by the new database.
  const columns = await source.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [qualified],
  );
  const list = columns.rows.map((column) => source.escapeIdentifier(column.name)).join(', ');
  let copied = 0;
  let after = '(0,0)';
  for (;;) {
    const batch = await source.query<{ position: string; rows: unknown[] | null; count: number }>(
      `SELECT max(position)::text AS position, json_agg(row) AS rows, count(*)::int AS count FROM (
         SELECT ctid AS position, (SELECT to_jsonb(r) FROM (SELECT ${list}) r) AS row FROM ${qualified} t
          WHERE ctid > $1::tid ORDER BY ctid LIMIT ${batchSize}) page`,
      [after],
    );
    const page = batch.rows[0];
    if (!page?.rows || page.count === 0) break;
    await target.query(`INSERT INTO ${qualified} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${qualified}, $1::jsonb)`, [
      JSON.stringify(page.rows),
    ]);
    copied += page.count;
    after = page.position;
  }
  const counted = await target.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${qualified}`);
  if (counted.rows[0]?.count !== copied)
    throw new Error(`copying ${qualified} lost rows: ${copied} read, ${counted.rows[0]?.count} written`);
  return copied;
}
