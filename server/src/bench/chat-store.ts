import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ensureDatabase, migrateDatabase, startEmbeddedPostgres } from '../platform/index.js';
import { insertMessages, type NewMessage } from '../support/conversations/conversations.repository.js';
import { cpuCalibrationMs, cpuSeconds, listFrom, machine, numberFrom, printMarkdownTable, writeResults } from './harness.js';

/**
 * bench:chat-store: the chat's store statement alone (insertMessages: number, store and announce a
 * batch of messages), on one connection with nothing else running, so its PostgreSQL CPU per
 * message can be compared between versions without the noise of a whole chat run. For each batch
 * size it stores batches into a fresh database's conversations and prints, as the messages table
 * grows, the backend's CPU and the wall time per message. The statement's plan is made once per
 * connection while the table is small, as on a freshly deployed node.
 *
 * Knobs: BENCH_BATCHES (1,10,100: messages per statement), BENCH_MESSAGES (40000 per batch size),
 * BENCH_CONVERSATIONS (200), BENCH_STEPS (4: table sizes reported). Results: bench/results/chat-store.json.
 */
const batchSizes = listFrom('BENCH_BATCHES', '1,10,100').map(Number);
const messagesPerSize = numberFrom('BENCH_MESSAGES', 40_000);
const conversationsCount = numberFrom('BENCH_CONVERSATIONS', 200);
const steps = numberFrom('BENCH_STEPS', 4);

type Row = {
  batch: number;
  tableBefore: number;
  tableAfter: number;
  pgCpuMicrosecondsPerMessage: number;
  wallMicrosecondsPerMessage: number;
};

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-chat-store-'));
  const cluster = await startEmbeddedPostgres({ dataDir, durable: true, maxConnections: 20 });
  const rows: Row[] = [];
  try {
    const calibrationMs = cpuCalibrationMs();
    console.log(
      `CPU calibration: ${calibrationMs} ms for a fixed loop (lower is a faster, quieter host); load average ${os
        .loadavg()
        .map((value) => round(value, 2))
        .join(' ')}`,
    );
    for (const batch of batchSizes) {
      // A fresh database per batch size: every size starts from an empty messages table.
      const name = `okpay_store_${batch}`;
      await ensureDatabase(cluster.urlFor('postgres'), name);
      const url = cluster.urlFor(name);
      await migrateDatabase(url);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      pool.on('error', () => undefined);
      const client = await pool.connect();
      const customers = await client.query<{ id: string }>(
        `INSERT INTO customers (email, display_name, password_hash)
         SELECT 'store' || n || '@okpay.local', 'Store ' || n, 'not-used' FROM generate_series(1, $1) AS n RETURNING id`,
        [conversationsCount],
      );
      const conversations = await client.query<{ id: string; customer_id: string }>(
        `INSERT INTO conversations (customer_id, status) SELECT id, 'open' FROM unnest($1::uuid[]) AS c(id) RETURNING id, customer_id`,
        [customers.rows.map((row) => row.id)],
      );
      const agentId = customers.rows[0]?.id ?? '';
      const { pid } = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0] ?? { pid: 0 };
      const backendCpuMs = () => cpuSeconds(pid) * 1000;
      const db = drizzle(client);
      let sent = 0;
      const nextBatch = (): NewMessage[] =>
        Array.from({ length: batch }, () => {
          sent += 1;
          const conversation = conversations.rows[(sent * 7919) % conversations.rows.length];
          const isAgent = sent % 2 === 0;
          return {
            conversationId: conversation?.id ?? '',
            clientMessageId: `store-${sent}`,
            authorType: isAgent ? 'agent' : 'customer',
            authorId: isAgent ? agentId : (conversation?.customer_id ?? ''),
            authorName: isAgent ? 'Agent' : 'Customer',
            body: `您好，我昨天的充值还没有到账 ${sent}`,
            isInternal: false,
            redactions: null,
            attachmentId: null,
            at: new Date(),
          };
        });
      const perStep = Math.max(batch, Math.floor(messagesPerSize / steps / batch) * batch);
      let table = 0;
      for (let step = 0; step < steps; step++) {
        const cpuBefore = backendCpuMs();
        const startedAt = process.hrtime.bigint();
        for (let stored = 0; stored < perStep; stored += batch) {
          const answers = await insertMessages(db, nextBatch());
          if (answers.some((answer) => answer.kind !== 'stored')) throw new Error('a message of the batch was not stored');
        }
        const wallMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
        const row = {
          batch,
          tableBefore: table,
          tableAfter: table + perStep,
          pgCpuMicrosecondsPerMessage: round(((backendCpuMs() - cpuBefore) * 1000) / perStep),
          wallMicrosecondsPerMessage: round((wallMs * 1000) / perStep),
        };
        table += perStep;
        rows.push(row);
        console.log(
          `  ${batch} per statement, messages ${row.tableBefore} → ${row.tableAfter}: PostgreSQL ${row.pgCpuMicrosecondsPerMessage} µs, wall ${row.wallMicrosecondsPerMessage} µs per message`,
        );
      }
      client.release();
      await pool.end();
    }
    printMarkdownTable(
      `bench:chat-store on ${machine().cpus} cores (${machine().cpuModel}), Node ${process.version}: insertMessages alone, durable commits`,
      ['messages per statement', 'messages in table', 'PostgreSQL CPU µs/msg', 'wall µs/msg'],
      rows.map((row) => [
        row.batch,
        `${row.tableBefore} → ${row.tableAfter}`,
        row.pgCpuMicrosecondsPerMessage,
        row.wallMicrosecondsPerMessage,
      ]),
    );
    const file = await writeResults('chat-store', { benchmark: 'chat-store', machine: machine(), cpuCalibrationMs: calibrationMs, rows });
    console.log(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
