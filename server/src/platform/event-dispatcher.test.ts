import { Writable } from 'node:stream';
import type pg from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countingDatabase, createTestDatabase } from '../test/database.js';
import { fixedClock, systemClock } from './clock.js';
import { connectDatabase, type Database } from './db/client.js';
import { withTransaction } from './db/transaction.js';
import { createEventDispatcher, type EventDispatcher, type PublishedEvent } from './event-dispatcher.js';
import { eventDispatchStatus, retryDeadLetters } from './event-operations.js';
import { batchRows, insertBatchRowsSql, publishBatchSql, publishEvent } from './events.js';
import { type Jobs, startJobs } from './jobs.js';
import { createLogger } from './logger.js';

let url: string;
let pool: pg.Pool;
let db: Database;
let jobs: Jobs;
const dispatchers: EventDispatcher[] = [];
const silent = createLogger('silent');

beforeAll(async () => {
  url = await createTestDatabase();
  ({ db, pool } = connectDatabase(url, 12, 'okpay-dispatcher-test'));
  jobs = await startJobs({ url, logger: silent });
  await pool.query('CREATE TABLE tally (subject text PRIMARY KEY, n int NOT NULL DEFAULT 0)');
  await pool.query('CREATE TABLE handled (subscriber text NOT NULL, n int NOT NULL)');
});
afterEach(async () => {
  for (const dispatcher of dispatchers.splice(0)) await dispatcher.stop();
});
afterAll(async () => {
  await jobs?.stop();
  await pool?.end();
});

function dispatcher(options: { clock?: ReturnType<typeof fixedClock>; logger?: pino.Logger; pollIntervalMs?: number } = {}) {
  const created = createEventDispatcher(
    { db, jobs, logger: options.logger ?? silent, clock: options.clock ?? systemClock },
    { pollIntervalMs: options.pollIntervalMs ?? 20, batchSize: 10 },
  );
  dispatchers.push(created);
  return created;
}

/** Counts one up for the subject under its row lock and announces the new count, like any change would. */
async function count(subject: string, type = 'test.counted'): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const updated = await tx.$client.query<{ n: number }>(
      `INSERT INTO tally (subject, n) VALUES ($1, 1) ON CONFLICT (subject) DO UPDATE SET n = tally.n + 1 RETURNING n`,
      [subject],
    );
    await publishEvent(tx, { type, subject: { type: 'tally', id: subject }, payload: { n: updated.rows[0]?.n } });
  });
}

/** Counts one up for each subject in turn, in one transaction, announced as one batch row. */
async function countBatch(subjects: string[], type = 'test.counted'): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const counts: number[] = [];
    for (const subject of subjects) {
      const updated = await tx.$client.query<{ n: number }>(
        `INSERT INTO tally (subject, n) VALUES ($1, 1) ON CONFLICT (subject) DO UPDATE SET n = tally.n + 1 RETURNING n`,
        [subject],
      );
      counts.push(updated.rows[0]?.n ?? 0);
    }
    await tx.$client.query(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS i(subject, n, ord))
       ${publishBatchSql({
         type: '$3::text',
         from: 'input',
         subjectType: "'tally'",
         subjectId: 'input.subject',
         payload: "jsonb_build_object('n', input.n)",
         occurredAt: 'now()',
         orderBy: 'input.ord',
       })}`,
      [subjects, counts, type],
    );
  });
}

const nOf = (event: PublishedEvent) => event.payload.n as number;
const named = (event: PublishedEvent) => `${event.subject?.id}${nOf(event)}`;

describe('the outbox dispatcher', () => {
  it('hands every event to a subscriber once, in order per subject, with two nodes taking turns', async () => {
    const subjects = Array.from({ length: 6 }, (_, index) => `two-nodes-${index}`);
    const perSubject = 20;
    const seen: Array<{ node: string; subject: string; n: number }> = [];
    for (const [node, running] of [
      ['a', dispatcher()],
      ['b', dispatcher()],
    ] as const) {
      running.subscribe('test.two-nodes', ['test.counted'], async (event) => {
        if (event.subject?.id.startsWith('two-nodes-')) seen.push({ node, subject: event.subject.id, n: nOf(event) });
      });
      running.start();
    }
    // Everything at once: the row lock orders each subject's counts, commits interleave freely.
    await Promise.all(subjects.flatMap((subject) => Array.from({ length: perSubject }, () => count(subject))));

    await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(subjects.length * perSubject);
    for (const subject of subjects) {
      expect(
        seen.filter((item) => item.subject === subject).map((item) => item.n),
        subject,
      ).toEqual(Array.from({ length: perSubject }, (_, index) => index + 1));
    }
  });

  it('resumes after a restart where it left off; a new subscriber replays from the start or begins now', async () => {
    const before: number[] = [];
    const first = dispatcher();
    first.subscribe('test.restart', ['test.restart'], async (event) => {
      before.push(nOf(event));
    });
    for (let index = 0; index < 3; index++) await count('restart', 'test.restart');
    await first.drain();
    expect(before).toEqual([1, 2, 3]);
    await first.stop();

    for (let index = 0; index < 2; index++) await count('restart', 'test.restart');
    const after: number[] = [];
    const restarted = dispatcher();
    restarted.subscribe('test.restart', ['test.restart'], async (event) => {
      after.push(nOf(event));
    });
    const replayed: number[] = [];
    restarted.subscribe('test.report', ['test.restart'], async (event) => {
      replayed.push(nOf(event));
    });
    const fresh: number[] = [];
    restarted.subscribe(
      'test.notifier',
      ['test.restart'],
      async (event) => {
        fresh.push(nOf(event));
      },
      { startAt: 'now' },
    );
    await restarted.drain();
    expect(after).toEqual([4, 5]);
    expect(replayed).toEqual([1, 2, 3, 4, 5]);
    expect(fresh).toEqual([]);
    await count('restart', 'test.restart');
    await restarted.drain();
    expect(fresh).toEqual([6]);
  });

  it('gives subscribers with cursors far apart, other types and other batch sizes each its own events once and in order, from one read per pass', async () => {
    for (let index = 0; index < 12; index++) await count('shared-x', 'test.shared-x');
    const running = dispatcher();
    const early: number[] = [];
    running.subscribe('test.shared-early', ['test.shared-x'], async (event) => {
      early.push(nOf(event));
    });
    await running.drain();
    expect(early).toHaveLength(12);
    // Interleaved, so a shared read cut at the largest batch ends between the types.
    for (let index = 0; index < 15; index++) {
      await count('shared-x', 'test.shared-x');
      await count('shared-y', 'test.shared-y');
    }
    const both: Array<[string, number]> = [];
    running.subscribeBatch(
      'test.shared-both',
      ['test.shared-x', 'test.shared-y'],
      async (events) => {
        for (const event of events) both.push([event.type, nOf(event)]);
      },
      { batchSize: 3 },
    );
    const onlyY: number[] = [];
    running.subscribe('test.shared-y-only', ['test.shared-y'], async (event) => {
      onlyY.push(nOf(event));
    });
    await running.drain();
    const upTo = (last: number, first = 1) => Array.from({ length: last - first + 1 }, (_, index) => first + index);
    expect(early).toEqual(upTo(27));
    expect(onlyY).toEqual(upTo(15));
    expect(both.filter(([type]) => type === 'test.shared-x').map(([, n]) => n)).toEqual(upTo(27));
    expect(both.filter(([type]) => type === 'test.shared-y').map(([, n]) => n)).toEqual(upTo(15));
  });

  it('leaves subscribers caught up with every event alone: an idle pass writes nothing, a new event of any type moves them on', async () => {
    const running = dispatcher();
    const seen: number[] = [];
    running.subscribe('test.idle-a', ['test.idle-a'], async (event) => {
      seen.push(nOf(event));
    });
    running.subscribe('test.idle-other', ['test.idle-other'], async () => undefined);
    await count('idle', 'test.idle-a');
    await running.drain();
    expect(seen).toEqual([1]);
    const cursors = async () =>
      (
        await pool.query<{ name: string; position: string; updated_at: Date }>(
          `SELECT name, position, updated_at FROM event_subscriptions WHERE name LIKE 'test.idle-%' ORDER BY name`,
        )
      ).rows.map((row) => `${row.name} ${row.position} ${row.updated_at.toISOString()}`);
    const settled = await cursors();
    await running.runOnce();
    await running.runOnce();
    expect(await cursors()).toEqual(settled);
    // An event neither of them takes still moves both cursors past it.
    await count('idle', 'test.idle-unwanted');
    await running.runOnce();
    const moved = await cursors();
    expect(moved).not.toEqual(settled);
    const horizon = (await pool.query<{ max: string }>('SELECT max(position) FROM domain_events')).rows[0]?.max;
    expect(moved.map((row) => row.split(' ')[1])).toEqual([horizon, horizon]);
    expect(seen).toEqual([1]);
  });

  it('spends one statement per background pass while nothing happens, and still hands over what is published next', async () => {
    const counting = countingDatabase(db);
    const running = createEventDispatcher(
      { db: counting.db, jobs, logger: silent, clock: systemClock },
      { pollIntervalMs: 20, batchSize: 10 },
    );
    dispatchers.push(running);
    const seen: number[] = [];
    running.subscribe('test.quiet', ['test.quiet'], async (event) => {
      seen.push(nOf(event));
    });
    await count('quiet', 'test.quiet');
    running.start();
    const waitFor = async (condition: () => boolean) => {
      for (let tries = 0; tries < 250 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([1]);
    // Settled: passes every 20 ms for 400 ms, about twenty of them at most.
    await new Promise((resolve) => setTimeout(resolve, 100));
    counting.reset();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(counting.statements()).toBeGreaterThan(0);
    expect(counting.statements()).toBeLessThanOrEqual(25);
    await count('quiet', 'test.quiet');
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
  });

  it('keeps what a handler wrote with its progress, retries a failure with backoff, then sets the event aside for operators', async () => {
    const clock = fixedClock(new Date());
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const registry = new Registry();
    const running = dispatcher({ clock, logger });
    running.registerMetrics(registry);
    let isBroken = true;
    running.subscribe(
      'test.poison',
      ['test.poison'],
      async (event, { tx }) => {
        await tx.$client.query("INSERT INTO handled (subscriber, n) VALUES ('poison', $1)", [nOf(event)]);
        if (nOf(event) === 2 && isBroken) throw new Error('cannot handle the second count');
      },
      { maxAttempts: 3 },
    );
    const handled = async () =>
      (await pool.query<{ n: number }>("SELECT n FROM handled WHERE subscriber = 'poison' ORDER BY n")).rows.map((row) => row.n);
    const subscription = async () => (await eventDispatchStatus(db)).subscriptions.find((item) => item.name === 'test.poison');

    for (let index = 0; index < 3; index++) await count('poison', 'test.poison');
    await running.runOnce();
    // The first went through; the second failed, and what it wrote went with it.
    expect(await handled()).toEqual([1]);
    expect(await subscription()).toMatchObject({ attempts: 1, lastError: 'cannot handle the second count' });
    await running.runOnce();
    expect(await handled()).toEqual([1]);
    expect((await subscription())?.attempts).toBe(1);

    clock.advance(1_000);
    await running.runOnce();
    expect((await subscription())?.attempts).toBe(2);
    clock.advance(2_000);
    await running.runOnce();
    await running.runOnce();
    expect(await handled()).toEqual([1, 3]);
    const status = await eventDispatchStatus(db);
    expect(status.deadLetters.filter((letter) => letter.subscription === 'test.poison')).toEqual([
      expect.objectContaining({ type: 'test.poison', attempts: 3, error: 'cannot handle the second count' }),
    ]);
    expect(lines.some((line) => line.includes('"level":50') && line.includes('dead letter'))).toBe(true);
    expect(await registry.metrics()).toContain('okpay_event_dead_letters_total{subscription="test.poison"} 1');

    isBroken = false;
    expect(await retryDeadLetters(db, 'test.poison')).toBe(1);
    await running.runOnce();
    expect(await handled()).toEqual([1, 2, 3]);
    expect((await eventDispatchStatus(db)).deadLetters.filter((letter) => letter.subscription === 'test.poison')).toEqual([]);
  });

  it('hands a batch subscriber whole batches, and when one fails finds the failing event and sets only it aside', async () => {
    const clock = fixedClock(new Date());
    const running = dispatcher({ clock });
    const batches: number[][] = [];
    running.subscribeBatch(
      'test.batches',
      ['test.batched'],
      async (events, { tx }) => {
        batches.push(events.map(nOf));
        for (const event of events) {
          await tx.$client.query("INSERT INTO handled (subscriber, n) VALUES ('batches', $1)", [nOf(event)]);
          if (nOf(event) === 5) throw new Error('five is broken');
        }
      },
      { maxAttempts: 1, batchSize: 4 },
    );
    for (let index = 0; index < 7; index++) await count('batched', 'test.batched');
    await running.drain();
    await running.runOnce();
    const handled = await pool.query<{ n: number }>("SELECT n FROM handled WHERE subscriber = 'batches' ORDER BY n");
    // Four at once; then 5–7 failed together, were taken apart, and only 5 became a dead letter.
    expect(handled.rows.map((row) => row.n)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(batches[0]).toEqual([1, 2, 3, 4]);
    expect(batches).toContainEqual([5, 6, 7]);
    expect(batches).toContainEqual([5]);
    const status = await eventDispatchStatus(db);
    expect(status.deadLetters.filter((letter) => letter.subscription === 'test.batches')).toEqual([
      expect.objectContaining({ type: 'test.batched', error: 'five is broken' }),
    ]);
  });
  it('hands the events of a batch row one by one in their order among the others, never splitting the row between batches', async () => {
    const running = dispatcher();
    const batches: string[][] = [];
    const seen: string[] = [];
    running.subscribeBatch(
      'test.rows.batches',
      ['test.rows'],
      async (events) => {
        batches.push(events.map(named));
      },
      { batchSize: 2 },
    );
    running.subscribe('test.rows.each', ['test.rows'], async (event) => {
      expect(event.subject?.type).toBe('tally');
      expect(Number.isNaN(event.occurredAt.getTime())).toBe(false);
      seen.push(named(event));
    });
    await count('ra', 'test.rows');
    await countBatch(['ra', 'rb', 'ra', 'rc'], 'test.rows');
    await count('rb', 'test.rows');
    await running.drain();
    expect(seen).toEqual(['ra1', 'ra2', 'rb1', 'ra3', 'rc1', 'rb2']);
    // Two at most, but the row of four is taken whole once begun, and the next row waits.
    expect(batches).toEqual([['ra1', 'ra2', 'rb1', 'ra3', 'rc1'], ['rb2']]);
  });

  it('hands over rows made by batchRows: one per type in the order each first occurs, each with its events in order', async () => {
    const running = dispatcher();
    const seen: string[] = [];
    running.subscribe('test.made.each', ['test.made.a', 'test.made.b'], async (event) => {
      seen.push(`${event.type.slice(-1)}:${named(event)}@${event.occurredAt.toISOString()}`);
    });
    const at = (second: number) => new Date(Date.UTC(2026, 3, 14, 2, 0, second));
    const event = (type: string, subject: string, n: number, second: number) => ({
      type: `test.made.${type}`,
      subjectType: 'tally',
      subjectId: subject,
      payload: { n, quote: 'a "quoted" \\ text' },
      occurredAt: at(second),
    });
    const rows = batchRows([event('b', 'mx', 1, 5), event('a', 'my', 1, 3), event('b', 'mx', 2, 4), event('a', 'my', 2, 7)]);
    expect(rows.map(([type, latest]) => [type, latest.toISOString()])).toEqual([
      ['test.made.b', at(5).toISOString()],
      ['test.made.a', at(7).toISOString()],
    ]);
    await pool.query(insertBatchRowsSql(1, rows.length), rows.flat());
    await running.drain();
    expect(seen).toEqual([
      `b:mx1@${at(5).toISOString()}`,
      `b:mx2@${at(4).toISOString()}`,
      `a:my1@${at(3).toISOString()}`,
      `a:my2@${at(7).toISOString()}`,
    ]);
    const stored = await pool.query<{ batch: string }>(`SELECT batch FROM domain_events WHERE type = 'test.made.a'`);
    expect(JSON.parse(stored.rows[0]?.batch ?? '[]')[0].payload.quote).toBe('a "quoted" \\ text');
  });

  it('retries and sets aside a batch row whole when one of its events fails, and hands over all of it when retried', async () => {
    const running = dispatcher();
    let isBroken = true;
    running.subscribe(
      'test.rows.poison',
      ['test.rows.poison'],
      async (event, { tx }) => {
        await tx.$client.query("INSERT INTO handled (subscriber, n) VALUES ('rows', $1)", [
          event.subject?.id === 'px' ? nOf(event) : 10 * nOf(event),
        ]);
        if (event.subject?.id === 'pz' && isBroken) throw new Error('z is broken');
      },
      { maxAttempts: 1 },
    );
    const handled = async () =>
      (await pool.query<{ n: number }>("SELECT n FROM handled WHERE subscriber = 'rows' ORDER BY n")).rows.map((row) => row.n);
    await count('px', 'test.rows.poison');
    await countBatch(['py', 'pz', 'py'], 'test.rows.poison');
    await count('px', 'test.rows.poison');
    await running.drain();
    await running.runOnce();
    // px1 and px2 went through; nothing of the row with the failing event stayed, none of it is lost.
    expect(await handled()).toEqual([1, 2]);
    const letters = (await eventDispatchStatus(db)).deadLetters.filter((letter) => letter.subscription === 'test.rows.poison');
    expect(letters).toEqual([expect.objectContaining({ type: 'test.rows.poison', error: 'z is broken' })]);
    isBroken = false;
    expect(await retryDeadLetters(db, 'test.rows.poison')).toBe(1);
    await running.runOnce();
    expect(await handled()).toEqual([1, 2, 10, 10, 20]);
  });
  it('sets aside an outbox row whose batch cannot be read, with the reason, and hands over the events around it', async () => {
    const running = dispatcher();
    const seen: string[] = [];
    const batches: string[][] = [];
    running.subscribe(
      'test.damaged.each',
      ['test.damaged'],
      async (event) => {
        seen.push(named(event));
      },
      { maxAttempts: 1 },
    );
    running.subscribeBatch(
      'test.damaged.batches',
      ['test.damaged'],
      async (events) => {
        batches.push(events.map(named));
      },
      { maxAttempts: 1 },
    );
    await count('da', 'test.damaged');
    await countBatch(['db', 'dc'], 'test.damaged');
    // Rows damaged by hand: not JSON, not a list, an event without its subject.
    const damaged = [
      '[{"subjectType": "tally", "subjectId": "dx", "payload": {"n": 1}, "occurredAt": "2026-',
      '{"subjectType": "tally"}',
      '[{"payload": {"n": 1}, "occurredAt": "2026-12-06T00:00:00Z"}]',
    ];
    for (const batch of damaged)
      await pool.query(
        `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at, batch) VALUES ('test.damaged', NULL, NULL, '{}', now(), $1)`,
        [batch],
      );
    await count('da', 'test.damaged');
    await countBatch(['dd'], 'test.damaged');
    await running.drain();
    await running.runOnce();

    expect(seen).toEqual(['da1', 'db1', 'dc1', 'da2', 'dd1']);
    expect(batches.flat()).toEqual(['da1', 'db1', 'dc1', 'da2', 'dd1']);
    const letters = (await eventDispatchStatus(db)).deadLetters.filter((letter) => letter.subscription.startsWith('test.damaged.'));
    expect(letters).toHaveLength(6);
    for (const subscription of ['test.damaged.each', 'test.damaged.batches'])
      expect(letters.filter((letter) => letter.subscription === subscription).map((letter) => letter.error)).toEqual([
        expect.stringMatching(/cannot be read: its batch is not JSON/),
        expect.stringMatching(/cannot be read: its batch is not a list of events/),
        expect.stringMatching(/cannot be read: event 1 of its batch lacks a subject/),
      ]);

    // Retried as it stands, a damaged row fails again and stays set aside; no handler saw it.
    expect(await retryDeadLetters(db, 'test.damaged.each')).toBe(3);
    await running.runOnce();
    expect(seen).toEqual(['da1', 'db1', 'dc1', 'da2', 'dd1']);
    expect((await eventDispatchStatus(db)).deadLetters.filter((letter) => letter.subscription === 'test.damaged.each')).toHaveLength(3);
  });

  it('moves the other subscribers past a span longer than one read while one waits out a retry, and drain still returns', async () => {
    const running = dispatcher({ clock: fixedClock(new Date()) });
    running.subscribe(
      'test.stuck',
      ['test.stuck'],
      async () => {
        throw new Error('always failing');
      },
      { maxAttempts: 5 },
    );
    const seen: number[] = [];
    running.subscribe('test.moving', ['test.stuck'], async (event) => {
      seen.push(nOf(event));
    });
    for (let index = 0; index < 25; index++) await count('stuck', 'test.stuck');
    // The failing subscriber's cursor stays at the start; reads from it are cut at 10 rows.
    await running.drain();
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
  });
});
