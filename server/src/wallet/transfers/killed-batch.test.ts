import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { goodPassword } from '../../test/http.js';
import { type NodeProcess, startNode } from '../../test/node-process.js';
import { startTestRuntime } from '../../test/runtime.js';
import { approveIdentities, fundCustomer, newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { verifyLedger } from '../ledger/verify-ledger.js';

// Node A is the built server in its own process, sending transfers in batches until it is killed
// the way a machine dies (SIGKILL, nothing cleaned up) while one of its batches is inside the
// database. Node B runs here and checks what is left.
let nodeB: Runtime;
let nodeA: NodeProcess | undefined;
let dataDir: string;

beforeAll(async () => {
  nodeB = await startTestRuntime();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-killed-batch-'));
});
afterAll(async () => {
  await nodeA?.stop();
  await nodeB?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Customer = Awaited<ReturnType<typeof signedInCustomer>> & { bearer: string };
type Sent = {
  key: string;
  sender: Customer;
  body: { recipient: string; amount: number; currency: 'CNY' };
  answer?: Record<string, unknown>;
};

const funding = 1_000_00;

async function customer(): Promise<Customer> {
  const signedIn = await signedInCustomer(nodeB);
  await fundCustomer(nodeB.deps.pool, signedIn.id, 'CNY', funding);
  const login = await signedIn.client.post('/api/auth/login', { email: signedIn.email, password: goodPassword });
  return { ...signedIn, bearer: (login.body as { token: string }).token };
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const result = await nodeB.deps.pool.query<{ n: number }>(sql, values);
  return result.rows[0]?.n ?? 0;
}

describe('a node killed while a batch of transfers is in the database', () => {
  // Unverified recipients: the batch is a transaction (the unverified-inflow rule runs in it), and
  // the orphaned one rolls back. Verified ones, already seen by the node: the batch is one
  // statement, its own transaction, and the orphaned one commits by itself, unacknowledged.
  it.each([
    { recipients: 'unverified', isOneStatement: false },
    { recipients: 'verified', isOneStatement: true },
  ])(
    'leaves every acknowledged transfer, a balanced ledger and keys that answer retries exactly once ($recipients recipients)',
    async ({ isOneStatement }) => {
      const customers = await Promise.all(Array.from({ length: 8 }, () => customer()));
      const stalled = await customer();
      if (isOneStatement)
        await approveIdentities(
          nodeB.deps.pool,
          [...customers, stalled].map((item) => item.id),
        );
      nodeA = await startNode({
        NODE_ENV: 'test',
        DATABASE_URL: nodeB.databaseUrl,
        DATABASE_POOL_SIZE: '6',
        DATA_DIR: path.join(dataDir, isOneStatement ? 'one-statement' : 'transaction'),
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      });
      const node = nodeA;
      const sent: Sent[] = [];
      let isStallWanted = false;
      let isKilled = false;
      const client = async (worker: number) => {
        for (let round = 0; !isKilled; round++) {
          const sender = customers[(worker + round) % customers.length];
          // The node sees the stalled recipient once first (and learns it verified, where it is).
          const recipient =
            (isStallWanted && worker === 0) || (worker === 1 && round === 0)
              ? stalled
              : customers[(worker * 3 + round * 5 + 1) % customers.length];
          if (!sender || !recipient || recipient === sender) continue;
          const request: Sent = {
            key: newIdempotencyKey(),
            sender,
            body: { recipient: recipient.email, amount: 1 + (round % 9), currency: 'CNY' },
          };
          sent.push(request);
          try {
            const response = await fetch(`${node.url}/api/wallet/transfers`, {
              method: 'POST',
              headers: { authorization: `Bearer ${sender.bearer}`, 'idempotency-key': request.key, 'content-type': 'application/json' },
              body: JSON.stringify(request.body),
            });
            const body = (await response.json()) as Record<string, unknown>;
            if (response.status !== 201) throw new Error(`node A answered ${response.status}: ${JSON.stringify(body)}`);
            request.answer = body;
          } catch (error) {
            // Cut off by the kill: never acknowledged.
            if (!isKilled) throw error;
          }
        }
      };
      const clients = Promise.all(Array.from({ length: 12 }, (_, worker) => client(worker)));
      await expect.poll(() => sent.filter((request) => request.answer).length, { timeout: 20_000 }).toBeGreaterThan(50);

      // Hold one recipient's account so the next batch with a transfer to it waits inside the database.
      const blocker = new pg.Client({ connectionString: nodeB.databaseUrl });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query("SELECT 1 FROM ledger_accounts WHERE customer_id = $1 AND currency = 'CNY' FOR UPDATE", [stalled.id]);
      isStallWanted = true;
      await expect
        .poll(
          () =>
            count(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%okpay_transfer_batch%'",
            ),
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThanOrEqual(1);
      isKilled = true;
      nodeA.child.kill('SIGKILL');
      await nodeA.exited;
      await clients;
      await blocker.query('ROLLBACK');
      await blocker.end();
      // The orphaned batch finishes its statement and finds its client gone: a transaction rolls back,
      // a statement that was its own transaction has committed.
      await expect
        .poll(
          () =>
            count(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query ILIKE '%okpay_transfer_batch%' AND state <> 'idle' AND pid <> pg_backend_pid()",
            ),
          {
            timeout: 20_000,
          },
        )
        .toBe(0);

      const acknowledged = sent.filter((request) => request.answer);
      // The stalled batch: rolled back with its transaction, or committed as its own statement.
      const toStalled = await count('SELECT count(*)::int AS n FROM transfers WHERE recipient_id = $1', [stalled.id]);
      const acknowledgedToStalled = acknowledged.filter((request) => request.body.recipient === stalled.email).length;
      if (isOneStatement) expect(toStalled).toBeGreaterThan(acknowledgedToStalled);
      else expect(toStalled).toBe(acknowledgedToStalled);
      const keys = sent.map((request) => request.key);
      const senders = [...customers, stalled].map((item) => item.id);
      expect((await verifyLedger(nodeB.deps.db)).problems).toEqual([]);
      // Every acknowledged transfer is there, as it was answered, and its key names it.
      for (const request of acknowledged) {
        const row = await nodeB.deps.pool.query<{ sender_id: string; amount: string }>(
          'SELECT sender_id, amount FROM transfers WHERE id = $1',
          [request.answer?.id],
        );
        expect(row.rows[0]).toEqual({ sender_id: request.sender.id, amount: String(request.body.amount) });
        const stored = await nodeB.deps.pool.query('SELECT response_body FROM idempotency_keys WHERE customer_id = $1 AND key = $2', [
          request.sender.id,
          request.key,
        ]);
        expect(stored.rows[0]?.response_body).toMatchObject({
          transfer: { id: request.answer?.id, transactionId: request.answer?.transactionId },
        });
      }
      // No key is left claimed by the dead node, and every transfer has the one key that made it.
      expect(await count("SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ANY($1) AND state <> 'completed'", [keys])).toBe(0);
      const made = await count('SELECT count(*)::int AS n FROM transfers WHERE sender_id = ANY($1)', [senders]);
      expect(made).toBe(
        await count('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ANY($1) AND response_status = 201', [keys]),
      );
      expect(made).toBeGreaterThanOrEqual(acknowledged.length);
      expect(made).toBeLessThan(sent.length);

      // Retried on node B, every request runs exactly once in all: acknowledged ones replay.
      for (const request of sent) {
        const retried = await request.sender.client.post('/api/wallet/transfers', request.body, { 'idempotency-key': request.key });
        expect(retried.status).toBe(201);
        if (request.answer) expect(retried.body).toEqual(request.answer);
      }
      expect(await count('SELECT count(*)::int AS n FROM transfers WHERE sender_id = ANY($1)', [senders])).toBe(sent.length);
      const moved = new Map<string, number>();
      for (const request of sent) {
        const recipient = [...customers, stalled].find((item) => item.email === request.body.recipient);
        moved.set(request.sender.id, (moved.get(request.sender.id) ?? 0) - request.body.amount);
        if (recipient) moved.set(recipient.id, (moved.get(recipient.id) ?? 0) + request.body.amount);
      }
      for (const item of [...customers, stalled]) {
        const balance = await nodeB.deps.pool.query<{ balance: string }>(
          "SELECT balance FROM ledger_accounts WHERE customer_id = $1 AND currency = 'CNY'",
          [item.id],
        );
        expect(Number(balance.rows[0]?.balance)).toBe(funding + (moved.get(item.id) ?? 0));
      }
      expect((await verifyLedger(nodeB.deps.db)).problems).toEqual([]);
    },
    120_000,
  );
});
