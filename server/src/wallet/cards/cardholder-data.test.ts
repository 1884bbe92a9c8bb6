import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '../../platform/index.js';
import { type Runtime, startRuntime } from '../../runtime.js';
import { createTestDatabase } from '../../test/database.js';
import { newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';
import { reconcileTopUps } from '../top-ups/reconcile-top-ups.js';

// PCI DSS 3.3.1: the CVC is never stored after authorisation, in any table or log. 3.5.1: nor is the PAN.
const cvc = '7391';
const pans = ['4242424242424242', '4000000000000002', '4000000000000408', '4111111111111111', '6200000000000005'];
const holderName = 'CARDHOLDER-DATA-PROBE';
// The CVC as a value of its own, not four digits inside a longer number, id or hash.
const cvcAsValue = `(^|[^0-9A-Za-z.-])${cvc}([^0-9A-Za-z.-]|$)`;

const logLines: string[] = [];
let runtime: Runtime;

/** A whole node like startTestRuntime's, logging everything at trace level into memory with the production redaction. */
beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-node-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: await createTestDatabase(),
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
    PUBLIC_URL: 'http://okpay.test',
    LOG_LEVEL: 'trace',
  });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('trace', false, sink);
  runtime = await startRuntime(config, logger, { webRoot: path.join(dataDir, 'no-web'), jobPollingSeconds: 0.5 });
});
afterAll(() => runtime?.close());

async function textColumns(): Promise<Array<{ schema: string; table: string; column: string }>> {
  const result = await runtime.deps.pool.query<{ schema: string; table: string; column: string }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`,
  );
  return result.rows;
}

async function columnsMatching(pattern: string) {
  const hits: string[] = [];
  for (const { schema, table, column } of await textColumns()) {
    const found = await runtime.deps.pool.query(`SELECT 1 FROM "${schema}"."${table}" WHERE "${column}"::text ~ $1 LIMIT 1`, [pattern]);
    if ((found.rowCount ?? 0) > 0) hits.push(`${schema}.${table}.${column}`);
  }
  return hits;
}

describe('cardholder data at rest and in logs', () => {
  beforeAll(async () => {
    const customer = await signedInCustomer(runtime);
    const bind = (number: string, change: Record<string, unknown> = {}) =>
      customer.client.post('/api/wallet/cards', { number, expMonth: 12, expYear: 2099, cvc, holderName, ...change });
    const good = await bind('4242 4242 4242 4242');
    expect(good.status).toBe(201);
    expect((await bind('4242-4242-4242-4242')).status).toBe(409);
    expect((await bind('4000 0000 0000 0002')).status).toBe(402);
    expect((await bind('4111 1111 1111 1111')).status).toBe(422);
    expect((await bind('4242 4242 4242 4241')).status).toBe(400);
    expect((await bind('6200 0000 0000 0005', { expYear: 2001 })).status).toBe(422);
    expect((await bind('6200 0000 0000 0005', { pin: '0000' })).status).toBe(400);
    const lostAnswer = await bind('4000000000000408');
    for (const card of [good, lostAnswer]) {
      const cardId = (card.body as { id: string }).id;
      await customer.client.post(
        '/api/wallet/top-ups',
        { cardId, amount: 12_00, currency: 'CNY' },
        { 'idempotency-key': newIdempotencyKey() },
      );
    }
    await reconcileTopUps(runtime.deps, { olderThanSeconds: 0 });
  });

  it('finds what it looks for: the holder name is in the cards table', async () => {
    expect(await columnsMatching(holderName)).toContain('public.cards.holder_name');
  });

  it('never stores the CVC in any text or JSON column of any table', async () => {
    expect(await columnsMatching(cvcAsValue)).toEqual([]);
  });

  it('never stores a full card number in any text or JSON column of any table', async () => {
    for (const pan of pans) expect(await columnsMatching(pan), pan).toEqual([]);
  });

  it('writes neither the CVC nor a full card number to the log, even at trace level', () => {
    const log = logLines.join('');
    expect(log).toContain('/api/wallet/cards'); // the capture works
    expect(log).not.toMatch(new RegExp(cvcAsValue));
    for (const pan of pans) {
      expect(log).not.toContain(pan);
      expect(log).not.toContain(pan.replace(/(\d{4})(?=\d)/g, '$1 '));
    }
  });

  it('redacts card fields if one is ever logged by mistake', () => {
    const before = logLines.length;
    runtime.deps.logger.info({ card: { number: '4242424242424242', cvc, cvv: cvc } }, 'card input');
    const line = logLines.slice(before).join('');
    expect(line).toContain('card input');
    expect(line).not.toContain('4242424242424242');
    expect(line).not.toContain(cvc);
  });
});
