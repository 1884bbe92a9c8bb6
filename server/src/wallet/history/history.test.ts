import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { fundCustomer, signedInCustomer } from '../../test/wallet.js';
import { sendTransfer } from '../transfers/send-transfer.js';

// Notes a customer could type to attack whoever opens the statement in a spreadsheet (OWASP CSV injection).
const notes = ['=HYPERLINK("x")', "-1+cmd|' /C calc'!A0", '+1', '=1+1', '@SUM(1+1)', '\t=1+1'];

// 09:00 in Shanghai on 25 November.
const clock = fixedClock('2026-11-25T01:00:00Z');
let runtime: Runtime;
let alice: Awaited<ReturnType<typeof signedInCustomer>>;
let bob: Awaited<ReturnType<typeof signedInCustomer>>;

type Page = {
  transactions: Array<{ id: string; type: string; amount: { amount: number; currency: string }; createdAt: string }>;
  nextCursor: string | null;
};

beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
  alice = await signedInCustomer(runtime, { displayName: '爱丽丝' });
  bob = await signedInCustomer(runtime, { displayName: 'Bob' });
  await fundCustomer(runtime.deps.pool, alice.id, 'CNY', 1_000_00);
  await fundCustomer(runtime.deps.pool, alice.id, 'USD', 100_00);
  // Seven transfers over three days, an hour apart within a day.
  for (let index = 0; index < 7; index++) {
    await withTransaction(runtime.deps.pool, (tx) =>
      sendTransfer(tx, {
        senderId: alice.id,
        recipient: { email: bob.email },
        amount: (index + 1) * 100,
        currency: index === 6 ? 'USD' : 'CNY',
        note: notes[index] ?? `第${index + 1}笔`,
        at: new Date(Date.parse('2026-11-25T01:00:00Z') + Math.floor(index / 3) * 86_400_000 + index * 3_600_000),
        risk: runtime.deps.config.risk,
      }),
    );
  }
});
afterAll(() => runtime?.close());

describe('transaction history', () => {
  it('lists newest first and pages with a cursor without gaps or repeats', async () => {
    const first = (await alice.client.get('/api/wallet/transactions?limit=3&type=transfer_out')).body as Page;
    expect(first.transactions.map((row) => row.amount.amount)).toEqual([-700, -600, -500]);
    const second = (await alice.client.get(`/api/wallet/transactions?limit=3&type=transfer_out&cursor=${first.nextCursor}`)).body as Page;
    const third = (await alice.client.get(`/api/wallet/transactions?limit=3&type=transfer_out&cursor=${second.nextCursor}`)).body as Page;
    expect([...second.transactions, ...third.transactions].map((row) => row.amount.amount)).toEqual([-400, -300, -200, -100]);
    expect(third.nextCursor).toBeNull();
  });

  it('filters by currency, status and type', async () => {
    const usd = (await alice.client.get('/api/wallet/transactions?currency=USD&type=transfer_out')).body as Page;
    expect(usd.transactions).toHaveLength(1);
    const failed = (await alice.client.get('/api/wallet/transactions?status=failed')).body as Page;
    expect(failed.transactions).toHaveLength(0);
    const received = (await bob.client.get('/api/wallet/transactions?type=transfer_in')).body as Page;
    expect(received.transactions).toHaveLength(7);
  });

  it('filters by calendar days in the operator time zone', async () => {
    const day = (await alice.client.get('/api/wallet/transactions?from=2026-11-26&to=2026-11-26&type=transfer_out')).body as Page;
    expect(day.transactions.map((row) => row.amount.amount)).toEqual([-600, -500, -400]);
    const instant = (await alice.client.get('/api/wallet/transactions?from=2026-11-27T00:00:00Z&type=transfer_out')).body as Page;
    expect(instant.transactions.map((row) => row.amount.amount)).toEqual([-700]);
  });

  it('refuses a forged cursor and bad filters with 400', async () => {
    for (const query of ['cursor=not-base64!', 'limit=0', 'limit=1000', 'type=refund', 'from=yesterday', 'currency=GBP']) {
      const response = await alice.client.get(`/api/wallet/transactions?${query}`);
      expect(response.status, query).toBe(400);
    }
  });

  it('shows one transaction to its owner only', async () => {
    const page = (await alice.client.get('/api/wallet/transactions?limit=1')).body as Page;
    const id = page.transactions[0]?.id;
    expect((await alice.client.get(`/api/wallet/transactions/${id}`)).status).toBe(200);
    expect((await bob.client.get(`/api/wallet/transactions/${id}`)).status).toBe(404);
  });

  it('exports a CSV statement in Chinese with local times, decimals and formula-safe text', async () => {
    const response = await alice.client.get('/api/wallet/transactions.csv?type=transfer_out');
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="okpay-statement-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = response.body as string;
    expect(text.startsWith('\ufeff"时间","类型","状态","金额"')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toContain('"2026-11-25 09:00:00","转出","成功",-1.00,"CNY"');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('neutralises every formula a note could start, and keeps amounts plain negative numbers for money out', async () => {
    const text = (await alice.client.get('/api/wallet/transactions.csv?type=transfer_out&currency=CNY')).body as string;
    const noteCells = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',"').at(-3));
    expect(noteCells).toEqual(expect.arrayContaining([`'-1+cmd|' /C calc'!A0"`, `'+1"`, `'=1+1"`, `'@SUM(1+1)"`, `'\t=1+1"`]));
    // No cell of a data row starts a formula: each either is a number or starts with a quote.
    for (const line of text.trim().split('\r\n').slice(1)) {
      for (const cell of line.split(/,(?=")|,(?=-?\d)/)) expect(cell, line).toMatch(/^("[^=+\-@\t\r]|"'|-?\d|"")/);
    }
    const amounts = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[3]);
    expect(amounts).toEqual(['-6.00', '-5.00', '-4.00', '-3.00', '-2.00', '-1.00']);
    const bobs = (await bob.client.get('/api/wallet/transactions.csv?type=transfer_in&currency=CNY')).body as string;
    expect(bobs.trim().split('\r\n')[1]?.split(',')[3]).toBe('6.00');
  });

  it('exports the CSV in English when asked', async () => {
    const response = await alice.client.get('/api/wallet/transactions.csv?currency=USD&locale=en');
    const text = response.body as string;
    expect(text).toContain('"Time","Type","Status","Amount"');
    expect(text).toContain('"Sent","Succeeded",-7.00,"USD"');
  });
});
