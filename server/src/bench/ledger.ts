import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import {
  createLogger,
  ensureDatabase,
  loadConfig,
  migrateDatabase,
  startEmbeddedPostgres,
  systemClock,
  withTransaction,
} from '../platform/index.js';
import type { Acquirer, ChargeResult } from '../wallet/cards/acquirer.js';
import { createSandboxAcquirer } from '../wallet/cards/sandbox-acquirer.js';
import { customerAccountId, systemAccountId } from '../wallet/ledger/ledger.repository.js';
import { postEntry } from '../wallet/ledger/post-entry.js';
import { verifyLedger } from '../wallet/ledger/verify-ledger.js';
import { createTopUpBatchers } from '../wallet/top-ups/top-up-batchers.js';
import { topUpOnce } from '../wallet/top-ups/top-up-once.js';
import { sendTransfer } from '../wallet/transfers/send-transfer.js';
import { createTransferBatcher } from '../wallet/transfers/transfer-batcher.js';
import { cpuCalibrationMs, cpuSeconds, machine, measure, printMarkdownTable, printTable, type Sample, writeResults } from './harness.js';

/**
 * bench:ledger: operations per second and latency at 1, 8 and 32 concurrent clients against the
 * embedded PostgreSQL with durable commits (fsync on, synchronous_commit on).
 *   ledger posting      — one balanced two-posting entry per transaction through okpay_post_entry
 *   transfer (use case) — the whole customer transfer use case: recipient lookup, accounts, entry,
 *                         transfer row, both history rows and the risk rule, in one transaction
 *   transfer (batched)  — the same use case as the API now runs it: the node's group commit sends
 *                         what arrives while earlier batches commit as one transaction
 *                         (okpay_transfer_batch), with each request's Idempotency-Key claimed and
 *                         its answer stored in that transaction (work the row above does not do)
 *   top-up              — a top-up as the API runs it (Idempotency-Key claimed, pending top-up,
 *                         the bank charged with no delay, the credit posted, the key's answer
 *                         stored), each from a different customer's card; the bank is the sandbox
 *                         acquirer (its charge book in the same database), or with
 *                         BENCH_ACQUIRER=instant one in memory, so only OKPay's own work counts
 * Besides the rate, each row reports the CPU it cost per operation (this process, which runs the
 * use cases and the clients, and PostgreSQL), the statements sent per operation, the write-ahead
 * log written per operation (and how much of it whole pages), the checkpoints and autovacuum runs
 * during the row, and the load average, so a run on a busy machine still says what an operation
 * costs and what else the database was doing.
 *
 * Knobs: BENCH_CUSTOMERS (2000), BENCH_SECONDS (8), BENCH_CLIENTS (1,8,32), BENCH_SCENARIOS
 * (posting,transfer,top-up), BENCH_TRANSFER_PATH (direct,batched: the transfer rows to run),
 * BENCH_BATCHES_IN_FLIGHT and BENCH_OVERLAP_FROM (the transfer batches in flight at once and the
 * transfers that must wait before a further one starts; the node's defaults, 2 and 16), BENCH_ACQUIRER (sandbox,instant: the banks to top up from), BENCH_WARMUP_SECONDS (1, once
 * per scenario before its rows), BENCH_PG_STATS=0 (no pg_stat_statements), BENCH_PG_SETTINGS
 * (more PostgreSQL settings, `name=value` separated by spaces, e.g. `max_wal_size=8GB`), BENCH_VERBOSE=1 (the
 * statements that took the most time and the buffer pages each table and index read per operation,
 * per row; at the end, how the busiest tables aged: updates kept on their page, dead rows, vacuums).
 */
const customersCount = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const scenarios = (process.env.BENCH_SCENARIOS ?? 'posting,transfer,top-up').split(',');
const pgStats = process.env.BENCH_PG_STATS !== '0';
const transferPaths = (process.env.BENCH_TRANSFER_PATH ?? 'direct,batched').split(',');
/** The transfer batcher's flow, where a knob overrides the node's default. */
const transferFlow = {
  ...(process.env.BENCH_BATCHES_IN_FLIGHT ? { maxInFlight: Number(process.env.BENCH_BATCHES_IN_FLIGHT) } : {}),
  ...(process.env.BENCH_OVERLAP_FROM ? { overlapFrom: Number(process.env.BENCH_OVERLAP_FROM) } : {}),
};
const acquirers = (process.env.BENCH_ACQUIRER ?? 'sandbox,instant').split(',');
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
/** Extra PostgreSQL settings for the run, `name=value` separated by spaces (BENCH_PG_SETTINGS). */
const pgSettings = (process.env.BENCH_PG_SETTINGS ?? '').split(' ').filter((setting) => setting.includes('='));

type Cost = {
  scenario: string;
  concurrency: number;
  nodeCpuMsPerOp: number;
  postgresCpuMsPerOp: number;
  statementsPerOp: number | null;
  /** Write-ahead log written per operation, and how much of it was full-page images. */
  walBytesPerOp: number;
  fullPageImagesPerOp: number;
  /** Checkpoints that began during the row (each makes the next change to every page log it whole). */
  checkpoints: number;
  /** Autovacuum and autoanalyze runs that ended during the row, on any table. */
  autovacuums: number;
  loadAverage1m: number;
};

type WalCounters = { bytes: number; fullPageImages: number; checkpoints: number; autovacuums: number };

const round = (value: number, digits: number) => Number(value.toFixed(digits));

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-ledger-'));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    durable: true,
    maxConnections: 120,
    settings: [...(pgStats ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : []), ...pgSettings],
  });
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    const url = cluster.urlFor('okpay');
    await migrateDatabase(url);
    const pool = new pg.Pool({ connectionString: url, max: Math.max(...levels) + 2 });
    pool.on('error', () => undefined);
    const db = drizzle(pool);
    if (pgStats) await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const pgPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const settings = await pool.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'commit_delay', 'wal_sync_method', 'wal_compression', 'full_page_writes', 'max_wal_size')",
    );
    console.log(`durability: ${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);
    const calibrationMs = cpuCalibrationMs();
    const loadBefore = os.loadavg().map((value) => round(value, 2));
    console.log(
      `CPU calibration: ${calibrationMs} ms for a fixed loop (lower is a faster, quieter host); load average ${loadBefore.join(' ')}`,
    );

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
    // A card on every customer, known to the sandbox bank as one whose charges succeed.
    const cards = await pool.query<{ id: string }>(
      `WITH bank AS (
         INSERT INTO sandbox_acquirer_cards (token, scenario, brand, last4, exp_month, exp_year)
         SELECT 'tok_bench_' || id, 'success', 'visa', '4242', 12, 2040 FROM customers RETURNING token)
       INSERT INTO cards (customer_id, acquirer_token, fingerprint, brand, bin, last4, exp_month, exp_year, holder_name)
       SELECT c.id, 'tok_bench_' || c.id, 'bench-' || c.id, 'visa', '424242', '4242', 12, 2040, 'BENCH'
       FROM customers c JOIN bank ON bank.token = 'tok_bench_' || c.id
       ORDER BY c.email RETURNING id`,
    );
    const cardOf = new Map<string, string>();
    const cardRows = await pool.query<{ id: string; customer_id: string }>('SELECT id, customer_id FROM cards');
    for (const row of cardRows.rows) cardOf.set(row.customer_id, row.id);
    if (cards.rowCount !== ids.length) throw new Error('card seeding went wrong');

    const pick = (worker: number, iteration: number) => {
      const from = (worker * 7919 + iteration * 104_729) % ids.length;
      const to = (from + 1 + ((iteration * 31 + worker) % (ids.length - 1))) % ids.length;
      return { from, to };
    };
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) });
    const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');
    const banks: Record<string, Acquirer> = { sandbox: createSandboxAcquirer(db), instant: instantAcquirer() };
    type Statement = { query: string; calls: number; perOp: number; totalMs: number; isTopLevel: boolean };
    const statementsSince = async (operations: number): Promise<{ topLevel: number; top: Statement[] }> => {
      if (!pgStats) return { topLevel: 0, top: [] };
      const result = await pool.query<{ query: string; calls: string; total_ms: number; toplevel: boolean }>(
        `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, round(total_exec_time::numeric, 1)::float AS total_ms, toplevel
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'okpay') AND query NOT ILIKE '%pg_stat_statements%'
         ORDER BY total_exec_time DESC`,
      );
      const rows = result.rows.map((row) => ({
        query: row.query.slice(0, 200),
        calls: Number(row.calls),
        perOp: round(Number(row.calls) / operations, 2),
        totalMs: row.total_ms,
        isTopLevel: row.toplevel,
      }));
      return { topLevel: rows.filter((row) => row.isTopLevel).reduce((sum, row) => sum + row.calls, 0), top: rows.slice(0, 12) };
    };
    // WAL bytes from the insert position, exact; the counts from the statistics, which each backend
    // flushes at most once a second (a row may lend the next a second's worth).
    const walCounters = async (): Promise<WalCounters> => {
      const result = await pool.query<{ bytes: string; fpi: string; checkpoints: string; autovacuums: string }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS bytes, w.wal_fpi::text AS fpi,
                (c.num_timed + c.num_requested)::text AS checkpoints,
                (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)::text AS autovacuums
         FROM pg_stat_wal w, pg_stat_checkpointer c`,
      );
      const row = result.rows[0];
      return {
        bytes: Number(row?.bytes ?? 0),
        fullPageImages: Number(row?.fpi ?? 0),
        checkpoints: Number(row?.checkpoints ?? 0),
        autovacuums: Number(row?.autovacuums ?? 0),
      };
    };
    const verbose = process.env.BENCH_VERBOSE === '1';
    /** Buffer pages each table and index has read (from shared buffers or not) so far. */
    const blocksRead = async () => {
      const result = await pool.query<{ name: string; blocks: string }>(
        `SELECT relname AS name, (coalesce(heap_blks_hit, 0) + coalesce(heap_blks_read, 0))::text AS blocks FROM pg_statio_user_tables
         UNION ALL
         SELECT indexrelname, (idx_blks_hit + idx_blks_read)::text FROM pg_statio_user_indexes`,
      );
      return new Map(result.rows.map((row) => [row.name, Number(row.blocks)]));
    };
    const samples: Sample[] = [];
    const costs: Cost[] = [];
    const topStatements: Record<string, Statement[]> = {};
    const warmedUp = new Set<string>();
    const run = async (scenario: string, concurrency: number, operation: (worker: number, iteration: number) => Promise<void>) => {
      // Once per scenario, unmeasured: the code paths compiled and the connections open.
      if (!warmedUp.has(scenario) && warmupSeconds > 0) {
        warmedUp.add(scenario);
        await measure(scenario, Math.max(...levels), warmupSeconds, (worker, iteration) => operation(worker + 1000, iteration));
      }
      if (pgStats) await pool.query('SELECT pg_stat_statements_reset()');
      const walBefore = await walCounters();
      const blocksBefore = verbose ? await blocksRead() : new Map<string, number>();
      const before = { node: process.cpuUsage(), pg: cpuSeconds(pgPid, true) };
      const sample = await measure(scenario, concurrency, seconds, operation);
      const node = process.cpuUsage(before.node);
      const pgCpu = cpuSeconds(pgPid, true) - before.pg;
      const walAfter = await walCounters();
      const blocksAfter = verbose ? await blocksRead() : new Map<string, number>();
      const operations = Math.max(1, sample.operations + sample.errors);
      const statements = await statementsSince(operations);
      topStatements[`${scenario} × ${concurrency}`] = statements.top;
      if (verbose) {
        console.log(`${scenario} × ${concurrency}: ${sample.perSecond}/s; statements by time:`);
        for (const row of statements.top)
          console.log(`  ${row.perOp} × ${row.totalMs} ms ${row.isTopLevel ? '' : '(nested) '}${row.query.slice(0, 130)}`);
        const blocks = [...blocksAfter].map(([name, count]) => [name, (count - (blocksBefore.get(name) ?? 0)) / operations] as const);
        console.log(
          `  buffer pages read per operation: ${blocks
            .filter(([, perOp]) => perOp >= 0.5)
            .sort((a, b) => b[1] - a[1])
            .map(([name, perOp]) => `${name} ${round(perOp, 1)}`)
            .join(', ')}`,
        );
      }
      samples.push(sample);
      costs.push({
        scenario,
        concurrency,
        nodeCpuMsPerOp: round((node.user + node.system) / 1000 / operations, 3),
        postgresCpuMsPerOp: round((pgCpu * 1000) / operations, 3),
        statementsPerOp: pgStats ? round(statements.topLevel / operations, 2) : null,
        walBytesPerOp: Math.round((walAfter.bytes - walBefore.bytes) / operations),
        fullPageImagesPerOp: round((walAfter.fullPageImages - walBefore.fullPageImages) / operations, 3),
        checkpoints: walAfter.checkpoints - walBefore.checkpoints,
        autovacuums: walAfter.autovacuums - walBefore.autovacuums,
        loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
      });
    };

    for (const concurrency of scenarios.includes('posting') ? levels : []) {
      await run('ledger posting', concurrency, async (worker, iteration) => {
        const { from, to } = pick(worker, iteration);
        // One statement is one transaction: a single round trip and one durable commit.
        await postEntry(db, {
          kind: 'transfer',
          postings: [
            { accountId: accounts[from] ?? 0, amount: -1 },
            { accountId: accounts[to] ?? 0, amount: 1 },
          ],
        });
      });
    }
    for (const concurrency of scenarios.includes('transfer') && transferPaths.includes('direct') ? levels : []) {
      await run('transfer (use case)', concurrency, async (worker, iteration) => {
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
      });
    }
    const batcher = createTransferBatcher({ db, risk: config.risk, logger }, transferFlow);
    let transferKeys = 0;
    for (const concurrency of scenarios.includes('transfer') && transferPaths.includes('batched') ? levels : []) {
      await run('transfer (batched)', concurrency, async (worker, iteration) => {
        const { from, to } = pick(worker, iteration);
        transferKeys += 1;
        const answer = await batcher.send({
          claim: { customerId: ids[from] ?? '', key: `bench-${transferKeys}`, hash: 'bench' },
          recipient: { email: emails[to] ?? '' },
          amount: 1,
          currency: 'CNY',
          at: new Date(),
          renderError: (error) => ({ status: error.status, body: { error: { code: error.code } } }),
        });
        if (answer.status !== 201) throw new Error(`transfer answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      });
    }
    let topUpKeys = 0;
    for (const acquirer of scenarios.includes('top-up') ? acquirers : []) {
      const bank = banks[acquirer];
      if (!bank) throw new Error(`BENCH_ACQUIRER: no bank called ${acquirer}`);
      const topUpDeps = { db, pool, acquirer: bank, config, clock: systemClock, logger };
      const topUpBatches = createTopUpBatchers(topUpDeps);
      for (const concurrency of levels) {
        await run(`top-up (${acquirer} bank)`, concurrency, async (worker, iteration) => {
          const customerId = ids[pick(worker, iteration).from] ?? '';
          topUpKeys += 1;
          const answer = await topUpOnce(
            topUpDeps,
            {
              customerId,
              cardId: cardOf.get(customerId) ?? '',
              amount: 1,
              currency: 'CNY',
              claim: { customerId, key: `bench-${topUpKeys}`, hash: 'bench' },
              locale: 'en',
            },
            topUpBatches,
          );
          if (answer.status !== 201) throw new Error(`top-up answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        });
      }
    }
    printTable(`bench:ledger on ${machine().cpus} cores (${machine().cpuModel}), ${seconds} s per row`, samples);
    printMarkdownTable(
      `CPU per operation (this process runs the use cases and the clients) and statements sent per operation; calibration ${calibrationMs} ms`,
      [
        'scenario',
        'clients',
        'node CPU ms/op',
        'PostgreSQL CPU ms/op',
        'statements/op',
        'WAL bytes/op',
        'full pages/op',
        'checkpoints',
        'autovacuums',
        'load 1m',
      ],
      costs.map((cost) => [
        cost.scenario,
        cost.concurrency,
        cost.nodeCpuMsPerOp,
        cost.postgresCpuMsPerOp,
        cost.statementsPerOp ?? '–',
        cost.walBytesPerOp,
        cost.fullPageImagesPerOp,
        cost.checkpoints,
        cost.autovacuums,
        cost.loadAverage1m,
      ]),
    );
    if (verbose) {
      // How the busiest tables aged in the run: updates that stayed on their page (HOT), dead rows, vacuums.
      const tables = await pool.query(
        `SELECT relname, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_hot_upd AS hot, n_dead_tup AS dead,
                autovacuum_count AS vacuums, autoanalyze_count AS analyzes,
                pg_size_pretty(pg_relation_size(relid)) AS heap, pg_size_pretty(pg_indexes_size(relid)) AS indexes
         FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 1000 ORDER BY n_tup_ins + n_tup_upd DESC`,
      );
      console.table(tables.rows);
    }
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
      transferFlow,
      samples,
      costs,
      topStatements,
      cpuCalibrationMs: calibrationMs,
      loadAverage: { before: loadBefore, after: os.loadavg().map((value) => round(value, 2)) },
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

/** A bank that answers at once and keeps its charges in memory (BENCH_ACQUIRER=instant): only OKPay's own work is measured. */
function instantAcquirer(): Acquirer {
  const charges = new Map<string, ChargeResult>();
  return {
    tokenize: async () => ({ status: 'refused', code: 'card_not_supported' }),
    charge: async (request) => {
      const charge = charges.get(request.idempotencyKey) ?? { status: 'succeeded', reference: `ch_instant_${request.idempotencyKey}` };
      charges.set(request.idempotencyKey, charge);
      return charge;
    },
    findCharge: async (idempotencyKey) => charges.get(idempotencyKey),
    refund: async () => ({ status: 'not_charged' }),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
