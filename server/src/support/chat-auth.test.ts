import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVisitorId, signRealtimeToken } from '../identity/index.js';
import type { Runtime } from '../runtime.js';
import { countingDatabase } from '../test/database.js';
import { createChatCustomer } from '../test/realtime.js';
import { startTestRuntime } from '../test/runtime.js';
import { batchedParticipantOfToken } from './chat-auth.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('socket handshakes checked in batches', () => {
  it('checks a burst of handshakes arriving one after another in few statements, each answered for its own token', async () => {
    const customers = await Promise.all(Array.from({ length: 11 }, (_, index) => createChatCustomer(runtime, `批量 ${index}`)));
    const counting = countingDatabase(runtime.deps.db);
    // A long wait for company, so the test does not depend on the machine's speed.
    const check = batchedParticipantOfToken({ ...runtime.deps, db: counting.db }, { lingerMs: 200 });

    // The burst begins: six at once, one statement.
    const first = await Promise.all(customers.slice(0, 6).map((customer) => check(customer.token)));
    expect(counting.statements()).toBe(1);

    // Then five more, 5 ms apart, as a node's reconnecting clients arrive: they wait for each
    // other (one statement, two if the machine stalls) instead of going one or two to a statement.
    const later: Promise<unknown>[] = [];
    for (const customer of customers.slice(6)) {
      later.push(check(customer.token));
      await sleep(5);
    }
    const second = await Promise.all(later);
    expect(counting.statements() - 1).toBeLessThanOrEqual(2);

    const names = [...first, ...second].map((known) => {
      const participant = (known as { participant: { kind: string; customerId?: string; name: string | null } }).participant;
      return [participant.customerId, participant.name];
    });
    expect(names).toEqual(customers.map((customer, index) => [customer.id, `批量 ${index}`]));
  });

  it('does not hold back a handshake that comes after a quiet spell', async () => {
    const customer = await createChatCustomer(runtime, '独自');
    const counting = countingDatabase(runtime.deps.db);
    const check = batchedParticipantOfToken({ ...runtime.deps, db: counting.db }, { lingerMs: 60_000 });
    await check(customer.token);
    await sleep(120);

    const startedAt = performance.now();
    const known = await check(customer.token);
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    expect(known?.participant).toMatchObject({ kind: 'customer', customerId: customer.id, name: '独自' });
    expect(counting.statements()).toBe(2);
  });

  it('answers each token of a mixed burst for itself: customers from one statement, a visitor, forged, expired and malformed tokens', async () => {
    const customers = await Promise.all([createChatCustomer(runtime, '混合 1'), createChatCustomer(runtime, '混合 2')]);
    const { sessionSecret } = runtime.deps.config;
    const now = runtime.deps.clock.now();
    const visitorId = newVisitorId();
    const visitor = signRealtimeToken(sessionSecret, { kind: 'visitor', visitorId }, now).token;
    const [payload] = customers[0].token.split('.');
    const forged = `${payload}.${'A'.repeat(43)}`;
    const expired = signRealtimeToken(
      sessionSecret,
      { kind: 'customer', customerId: customers[1].id },
      new Date(now.getTime() - 3_600_000),
    ).token;
    const counting = countingDatabase(runtime.deps.db);
    const check = batchedParticipantOfToken({ ...runtime.deps, db: counting.db }, { lingerMs: 200 });

    const answers = await Promise.all(
      [customers[0].token, forged, visitor, expired, customers[1].token, 'x'.repeat(2000), `\u0000.\ud800`, { token: 1 }].map(check),
    );

    expect(answers.map((known) => known?.participant)).toEqual([
      { kind: 'customer', customerId: customers[0].id, name: '混合 1' },
      undefined,
      { kind: 'visitor', visitorId, name: null },
      undefined,
      { kind: 'customer', customerId: customers[1].id, name: '混合 2' },
      undefined,
      undefined,
      undefined,
    ]);
    expect(counting.statements()).toBe(1);
  });

  it('answers a visitor and a forged token while a statement for customers is held up, and the customer once it goes through', async () => {
    const customer = await createChatCustomer(runtime, '等待');
    const visitorId = newVisitorId();
    const visitor = signRealtimeToken(runtime.deps.config.sessionSecret, { kind: 'visitor', visitorId }, runtime.deps.clock.now()).token;
    const check = batchedParticipantOfToken(runtime.deps);
    // A migration holding the customers table: the lookup waits for it.
    const locker = new pg.Client({ connectionString: runtime.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      let customerAnswered = false;
      const waitingCustomer = check(customer.token).then((known) => {
        customerAnswered = true;
        return known;
      });
      await sleep(200);

      expect(await check(visitor)).toMatchObject({ participant: { kind: 'visitor', visitorId } });
      expect(await check('forged.token')).toBeUndefined();
      expect(customerAnswered).toBe(false);

      await locker.query('ROLLBACK');
      expect((await waitingCustomer)?.participant).toMatchObject({ kind: 'customer', customerId: customer.id, name: '等待' });
    } finally {
      await locker.end();
    }
  });

  it('refuses forged and missing tokens without a statement', async () => {
    const counting = countingDatabase(runtime.deps.db);
    const check = batchedParticipantOfToken({ ...runtime.deps, db: counting.db }, { lingerMs: 60_000 });
    expect(await check('not-a-token')).toBeUndefined();
    expect(await check(undefined)).toBeUndefined();
    expect(counting.statements()).toBe(0);
  });
});
