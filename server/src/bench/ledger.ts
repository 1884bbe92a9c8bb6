import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ensureDatabase, loadConfig, migrateDatabase, startEmbeddedPostgres, withTransaction } from '../platform/index.js';
import { customerAccountId, systemAccountId } from '../wallet/ledger/ledger.repository.js';
import { postEntry } from '../wallet/ledger/post-entry.js';
import { verifyLedger } from '../wallet/ledger/verify-ledger.js';
import { sendTransfer } from '../wallet/transfers/send-transfer.js';
import { machine, measure, printTable, type Sample, writeResults } from './harness.js';

/**
 * bench:ledger: transfers per second and latency at 1, 8 and 32 concurrent clients against the
 * embedded PostgreSQL with durable commits (fsync on, synchronous_commit on).
 *   ledger posting  — one balanced two-posting entry per transaction through okpay_post_entry
 *   transfer        — the whole customer transfer use case: recipient lookup, accounts, entry,
 *                     transfer row, both history rows and the risk rule, in one transaction
 */
const customersCount = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const scenarios = (process.env.BENCH_SCENARIOS ?? 'posting,transfer').split(',');

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-ledger-'));
  const cluster = await startEmbeddedPostgres({ dataDir, durable: true, maxConnections: 120 });
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    const url = cluster.urlFor('okpay');
    await migrateDatabase(url);
    const pool = new pg.Pool({ connectionString: url, max: Math.max(...levels) + 2 });
    pool.on('error', () => undefined);
    const db = drizzle(pool);
    const settings = await pool.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'commit_delay', 'wal_sync_method')",
    );
    console.log(`durability: ${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);

    console.log(`seeding ${customersCount} customers with 1,000,000.00 CNY each…`);
    const passwordHash = await hash('bench-password-not-used');
    const customers = await pool.query<{ id: string; email: string }>(
      `INSERT INTO customers (email, display_name, password_hash)
       SELECT 'bench' || n || '@okpay.local', 'Bench ' || n, $1 FROM generate_series(1, $2) AS n RETURNING id, email`,
      [passwordHash, customersCount],
    );
    const ids = customers.rows.map((row) => row.id);
    const emails = customers.rows.map((row) => row.email);
    const accounts: number[] = [];
    for (const id of ids) accounts.push(await customerAccountId(db, id, 'CNY'));
    await withTransaction(pool, async (tx) => {
      const clearing = await systemAccountId(tx, 'acquirer_clearing', 'CNY');
      for (const account of accounts) {
        await postEntry(tx, {
          kind: 'adjustment',
          reference: 'bench-seed',
          postings: [
            { accountId: clearing, amount: -100_000_000 },
            { accountId: account, amount: 100_000_000 },
          ],
        });
      }
    });
    // Verified customers, so the unverified-inflow rule measures its cost without freezing anyone.
    await pool.query(
      `INSERT INTO identity_verifications (customer_id, real_name, id_type, id_number_encrypted, id_number_last4, document_encrypted, document_mime_type, document_size, status)
       SELECT id, 'Bench', 'passport', '\\x00', '0000', '\\x00', 'image/png', 1, 'approved' FROM customers`,
    );

    const pick = (worker: number, iteration: number) => {
      const from = (worker * 7919 + iteration * 104_729) % ids.length;
      const to = (from + 1 + ((iteration * 31 + worker) % (ids.length - 1))) % ids.length;
      return { from, to };
    };
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) });
    const samples: Sample[] = [];
    for (const concurrency of scenarios.includes('posting') ? levels : []) {
      samples.push(
        await measure('ledger posting', concurrency, seconds, async (worker, iteration) => {
          const { from, to } = pick(worker, iteration);
          // One statement is one transaction: a single round trip and one durable commit.
          await postEntry(db, {
            kind: 'transfer',
            postings: [
              { accountId: accounts[from] ?? 0, amount: -1 },
              { accountId: accounts[to] ?? 0, amount: 1 },
            ],
          });
        }),
      );
    }
    for (const concurrency of scenarios.includes('transfer') ? levels : []) {
      samples.push(
        await measure('transfer (use case)', concurrency, seconds, async (worker, iteration) => {
          const { from, to } = pick(worker, iteration);
          await withTransaction(pool, (tx) =>
            sendTransfer(tx, {
              senderId: ids[from] ?? '',
              recipient: { email: emails[to] ?? '' },
              amount: 1,
              currency: 'CNY',
              at: new Date(),
              risk: config.risk,
            }),
          );
        }),
      );
    }
    printTable(`bench:ledger on ${machine().cpus} cores (${machine().cpuModel}), ${seconds} s per row`, samples);
    const report = await verifyLedger(db);
    console.log(
      `\nledger:verify after the run: ${report.isHealthy ? 'healthy' : 'PROBLEMS'} (${report.entries} entries, ${report.postings} postings)`,
    );
    const file = await writeResults('ledger', {
      benchmark: 'ledger',
      machine: machine(),
      durability: settings.rows,
      seconds,
      customers: customersCount,
      samples,
      ledgerHealthy: report.isHealthy,
    });
    console.log(`results written to ${path.relative(process.cwd(), file)}`);
    await pool.end();
    if (!report.isHealthy) process.exitCode = 1;
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
