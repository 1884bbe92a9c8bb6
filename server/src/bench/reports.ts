import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createStaffMember } from '../identity/index.js';
import { systemClock } from '../platform/clock.js';
import { loadConfig } from '../platform/config.js';
import { connectDatabase } from '../platform/db/client.js';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/db/embedded-postgres.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import { createEventDispatcher } from '../platform/event-dispatcher.js';
import { startJobs } from '../platform/jobs.js';
import { createLogger } from '../platform/logger.js';
import { startRuntime } from '../runtime.js';
import { relayNotifier } from '../support/notifier.js';
import { subscribeReports } from '../support/reports/index.js';
import { agentEvents, conversationEvents } from '../support/support.events.js';
import { cpuSeconds, machine, percentile, printMarkdownTable, writeResults } from './harness.js';

/**
 * bench:reports: a year of synthetic support traffic (by default 1,000,000 conversations over
 * three channels and 50 agents, about eight events each, plus ratings, SLA outcomes, help-centre
 * suggestions and agents' shifts) written to the outbox as the use cases write it, folded by the
 * real reports subscriber; then every report endpoint over HTTP for 7, 30 and 365 days (p50/p95),
 * and the lag from an event to its rollup while the outbox takes a steady chat load.
 *
 * Quick re-runs: BENCH_DATA_DIR keeps the seeded and folded database there, and a later run with the
 * same directory only folds what is new (after a migration) and asks the reports again; BENCH_DAYS
 * (e.g. `365`) picks the ranges and BENCH_LAG_SECONDS=0 leaves the lag out. The load average is
 * printed with the table and written to the JSON: wall-clock times on a shared machine follow it.
 */
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const agentCount = Number(process.env.BENCH_AGENTS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const chatLoadPerSecond = Number(process.env.BENCH_CHAT_EVENTS_PER_SECOND ?? 500);
const lagSeconds = Number(process.env.BENCH_LAG_SECONDS ?? 20);
/** A directory to keep the seeded, folded database in: a second run with the same one only asks the reports. */
const keptDataDir = process.env.BENCH_DATA_DIR;
/** The report ranges asked, in days. */
const rangeDays = (process.env.BENCH_DAYS ?? '7,30,365').split(',').map(Number);
const dayMs = 86_400_000;
// The year ends at a fixed day in the past (Beijing), so every range holds only finished days.
const yearEnd = Date.UTC(2026, 10, 30, 16); // 2026-12-01 00:00 Beijing
const yearStart = yearEnd - 365 * dayMs;

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
const random = seeded(20_261_204);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
/** A log-normal duration with this median (seconds). */
const around = (median: number) => median * Math.exp((random() + random() + random() - 1.5) * 1.2);

// Arrivals by local hour: quiet at night, peaks late morning, afternoon and evening.
const hourly = [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.5, 1.9, 2.0, 1.6, 1.5, 1.8, 1.9, 1.7, 1.4, 1.2, 1.3, 1.5, 1.4, 0.9, 0.5];
const hourlyTotal = hourly.reduce((sum, weight) => sum + weight, 0);
const categories = ['account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other'] as const;
const reasonsLow = ['slow_reply', 'not_solved', 'hard_to_reach'];
const reasonsHigh = ['friendly', 'fast_solution', 'clear_answer'];

type Row = { type: string; subjectType: string; subject: string; payload: string; at: number };

/** Every event of one conversation, as the use cases publish them. */
function conversationEventsFor(created: number, agents: string[], out: Row[]): void {
  const id = randomUUID();
  const roll = random();
  const channel = roll < 0.7 ? 'chat' : roll < 0.95 ? 'email' : 'phone';
  const category = pick(categories);
  const push = (type: string, at: number, payload: Record<string, unknown>) =>
    out.push({
      type,
      subjectType: 'conversation',
      subject: id,
      payload: JSON.stringify({ conversationId: id, actorType: 'system', actorId: null, ...payload }),
      at,
    });
  push(conversationEvents.created, created, { channel, category });
  push(conversationEvents.messagePosted, created, { authorType: 'customer', isInternal: false, seq: 1 });
  if (channel === 'chat' && random() < 0.03) {
    // Left before anyone answered.
    push(conversationEvents.resolved, created + around(120) * 1000, { from: 'open', to: 'resolved' });
    return;
  }
  const agent = pick(agents);
  let at = created + (channel === 'chat' ? around(30) : around(600)) * 1000;
  push(conversationEvents.assigned, at, { assigneeId: agent, previousAssigneeId: null, via: 'auto' });
  at += (channel === 'email' ? around(4 * 3600) : around(60)) * 1000;
  push(conversationEvents.messagePosted, at, { authorType: 'agent', authorId: agent, isInternal: false, seq: 2 });
  const target = channel === 'email' ? 8 * 3600_000 : 120_000;
  push(at - created <= target ? 'support.sla.met' : 'support.sla.breached', at, {
    target: 'first_response',
    policy: channel,
    at: new Date(at).toISOString(),
  });
  let holder = agent;
  if (random() < 0.05) {
    holder = pick(agents);
    at += 30_000;
    push(conversationEvents.assigned, at, { assigneeId: holder, previousAssigneeId: agent, via: 'manual' });
  }
  if (random() < 0.4) {
    at += around(120) * 1000;
    push(conversationEvents.messagePosted, at, { authorType: 'customer', isInternal: false, seq: 3 });
    at += (channel === 'email' ? around(3600) : around(45)) * 1000;
    push(conversationEvents.messagePosted, at, { authorType: 'agent', authorId: holder, isInternal: false, seq: 4 });
  }
  at += (channel === 'email' ? around(3600) : around(240)) * 1000;
  push(conversationEvents.resolved, at, { from: 'open', to: 'resolved' });
  if (random() < 0.05) {
    at += around(3600) * 1000;
    push(conversationEvents.reopened, at, { from: 'resolved', to: 'open' });
    push(conversationEvents.messagePosted, at, { authorType: 'customer', isInternal: false, seq: 5 });
    at += around(300) * 1000;
    push(conversationEvents.messagePosted, at, { authorType: 'agent', authorId: holder, isInternal: false, seq: 6 });
    push(conversationEvents.resolved, at + 60_000, { from: 'open', to: 'resolved' });
    at += 60_000;
  }
  if (random() < 0.7) {
    push(conversationEvents.ratingRequested, at, { channel: channel === 'chat' ? 'widget' : 'email' });
    if (random() < 0.35) {
      const score = pick([5, 5, 5, 4, 4, 4, 3, 2, 1]);
      const reasons = [pick(score >= 4 ? reasonsHigh : reasonsLow)];
      push(conversationEvents.rated, at + 60_000, { score, previousScore: null, reasons, agentId: holder, source: 'widget' });
    }
  }
}

/** A day of traffic (arrivals weighted by weekday and hour), suggestions and shifts. */
function dayOfEvents(day: number, perDay: number, agents: string[]): Row[] {
  const rows: Row[] = [];
  const weekday = new Date(day + 8 * 3600_000).getUTCDay();
  const volume = Math.round(perDay * (weekday === 0 || weekday === 6 ? 0.7 : 1.12));
  for (let index = 0; index < volume; index++) {
    let draw = random() * hourlyTotal;
    let hour = 0;
    while (hour < 23 && draw > (hourly[hour] ?? 0)) draw -= hourly[hour++] ?? 0;
    conversationEventsFor(day + hour * 3600_000 + random() * 3600_000, agents, rows);
  }
  for (let index = 0; index < volume / 2; index++) {
    const id = randomUUID();
    const at = day + 8 * 3600_000 + random() * 14 * 3600_000;
    rows.push({
      type: 'support.help-suggestions.shown',
      subjectType: 'help_suggestion',
      subject: id,
      payload: '{"surface":"pre_chat"}',
      at,
    });
    if (random() < 0.3)
      rows.push({ type: 'support.help-suggestion.opened', subjectType: 'help_suggestion', subject: id, payload: '{}', at: at + 20_000 });
    if (random() < 0.4)
      rows.push({
        type: 'support.help-suggestion.chat-started',
        subjectType: 'help_suggestion',
        subject: id,
        payload: '{}',
        at: at + 60_000,
      });
  }
  for (const [index, agent] of agents.entries()) {
    const start = day + (index % 2 === 0 ? 9 : 13) * 3600_000;
    const payload = (status: string) => JSON.stringify({ staffId: agent, status });
    rows.push({ type: agentEvents.presenceChanged, subjectType: 'staff', subject: agent, payload: payload('online'), at: start });
    rows.push({
      type: agentEvents.presenceChanged,
      subjectType: 'staff',
      subject: agent,
      payload: payload('offline'),
      at: start + 8 * 3600_000,
    });
  }
  return rows;
}

/** Inserts events already in delivery order (positions given), as committed outbox rows. */
async function insertEvents(pool: pg.Pool, rows: Row[], firstPosition: number): Promise<void> {
  await pool.query(
    `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at, position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::bigint[])`,
    [
      rows.map((row) => row.type),
      rows.map((row) => row.subjectType),
      rows.map((row) => row.subject),
      rows.map((row) => row.payload),
      rows.map((row) => new Date(row.at)),
      rows.map((_, index) => firstPosition + index),
    ],
  );
}

async function main() {
  const dataDir = keptDataDir ? path.resolve(keptDataDir) : await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-reports-'));
  const cluster = await startEmbeddedPostgres({ dataDir, durable: true, maxConnections: 100 });
  const url = cluster.urlFor('okpay');
  const logger = createLogger('warn');
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    await migrateDatabase(url);
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: 'http://127.0.0.1',
      INBOUND_SMTP_PORT: '0',
    });
    const database = connectDatabase(url, 8, 'okpay-bench');
    // A kept database from an earlier run: its agents and events are reused, only what is not folded yet is folded.
    const earlier = await database.pool.query<{ id: string; email: string }>(
      "SELECT id, email FROM staff_members WHERE email LIKE 'agent%@bench.local'",
    );
    const agents: string[] = earlier.rows
      .map((row) => ({ id: row.id, index: Number(row.email.slice('agent'.length, row.email.indexOf('@'))) }))
      .sort((left, right) => left.index - right.index)
      .map((row) => row.id);
    let generated = 0;
    let writeSeconds = 0;
    if (agents.length === 0) {
      for (let index = 0; index < agentCount; index++) {
        const staff = await createStaffMember(
          { db: database.db },
          { email: `agent${index}@bench.local`, displayName: `客服${index + 1}`, role: 'agent', password: 'Bench-Password-2026' },
          { type: 'system' },
        );
        agents.push(staff.id);
      }
      await createStaffMember(
        { db: database.db },
        { email: 'supervisor@bench.local', displayName: '主管', role: 'supervisor', password: 'Bench-Password-2026' },
        { type: 'system' },
      );

      // 1. A year of events in the outbox.
      let position = 1;
      const writing = performance.now();
      const perDay = conversations / 365;
      for (let day = yearStart; day < yearEnd; day += dayMs) {
        const rows = dayOfEvents(day, perDay, agents);
        for (let start = 0; start < rows.length; start += 20_000) {
          const chunk = rows.slice(start, start + 20_000);
          await insertEvents(database.pool, chunk, position);
          position += chunk.length;
        }
        generated += rows.length;
      }
      await database.pool.query("SELECT setval(pg_get_serial_sequence('domain_events', 'id'), (SELECT max(id) FROM domain_events))");
      await database.pool.query('VACUUM ANALYZE domain_events');
      writeSeconds = (performance.now() - writing) / 1000;
    } else {
      generated = (await database.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM domain_events')).rows[0]?.count ?? 0;
    }
    const conversationCount =
      (
        await database.pool.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM domain_events WHERE type = 'support.conversation.created' AND occurred_at < $1",
          [new Date(yearEnd)],
        )
      ).rows[0]?.count ?? 0;
    console.log(
      `${writeSeconds ? 'wrote' : 'kept'} ${generated.toLocaleString()} events (${conversationCount.toLocaleString()} conversations)${writeSeconds ? ` in ${writeSeconds.toFixed(0)} s` : ` in ${dataDir}`}`,
    );

    // 2. The real subscriber folds them all (as a replay would).
    const jobs = await startJobs({ url, logger });
    const deps = {
      config,
      db: database.db,
      pool: database.pool,
      clock: systemClock,
      mailer: { send: async () => undefined },
      jobs,
      logger,
      notifier: relayNotifier(),
    };
    const dispatcher = createEventDispatcher(deps);
    subscribeReports(dispatcher, deps);
    const cursorOf = async () =>
      Number(
        (await database.pool.query<{ position: string }>("SELECT position FROM event_subscriptions WHERE name = 'support.reports'")).rows[0]
          ?.position ?? 0,
      );
    const foldedBefore = await cursorOf();
    const folding = performance.now();
    let lastReport = folding;
    while (await dispatcher.runOnce()) {
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.log(`  folded ${(await cursorOf()).toLocaleString()} of ${generated.toLocaleString()} events`);
      }
    }
    await dispatcher.drain();
    const foldSeconds = (performance.now() - folding) / 1000;
    const folded = (await cursorOf()) - foldedBefore;
    await jobs.stop();
    await database.pool.query('VACUUM ANALYZE');
    const sizes = await database.pool.query<{ name: string; rows: string; size: string }>(
      `SELECT relname AS name, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
       FROM pg_stat_user_tables WHERE relname LIKE 'report_%' ORDER BY relname`,
    );
    const foldRate = folded > 0 ? Math.round(folded / foldSeconds) : null;
    console.log(`folded ${folded.toLocaleString()} events in ${foldSeconds.toFixed(0)} s (${foldRate?.toLocaleString() ?? '–'} events/s)`);
    await database.close();

    // 3. Every report over HTTP, as the console asks for it.
    const loadAverageBefore = os.loadavg().map((value) => Number(value.toFixed(2)));
    const runtime = await startRuntime(config, logger);
    await runtime.app.listen({ host: '127.0.0.1', port: 0 });
    const address = runtime.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const login = await fetch(`${base}/api/agent/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'supervisor@bench.local', password: 'Bench-Password-2026' }),
    });
    const { token } = (await login.json()) as { token: string };
    const day = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10);
    const last = day(yearEnd - dayMs);
    const ranges = rangeDays.map((days) => ({ days, from: day(yearEnd - days * dayMs), to: last }));
    const endpoints = [
      { name: 'volume', path: '/api/agent/reports/volume', bucket: 'day' },
      { name: 'response-times', path: '/api/agent/reports/response-times', bucket: 'day' },
      { name: 'response-times (email)', path: '/api/agent/reports/response-times', bucket: 'day', extra: '&channel=email' },
      { name: 'response-times (one agent)', path: '/api/agent/reports/response-times', bucket: 'week', extra: `&agentId=${agents[0]}` },
      { name: 'sla', path: '/api/agent/reports/sla', bucket: 'day' },
      { name: 'csat', path: '/api/agent/reports/csat', bucket: 'day' },
      { name: 'deflection', path: '/api/agent/reports/deflection', bucket: 'day' },
      { name: 'conversations (drill-down)', path: '/api/agent/reports/conversations', extra: '&metric=first_response' },
      { name: 'volume CSV', path: '/api/agent/reports/volume.csv', bucket: 'day', extra: '&table=agents' },
    ];
    const get = async (url: string) => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    // CPU per request besides wall-clock time (which a busy machine stretches): this process (the server
    // and its one client) and PostgreSQL (the postmaster and its backends).
    const postgresPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const timings: Array<{
      endpoint: string;
      days: number;
      p50Ms: number;
      p95Ms: number;
      maxMs: number;
      nodeCpuMs: number;
      postgresCpuMs: number;
    }> = [];
    const time = async (endpoint: string, days: number, url: string) => {
      await get(url);
      const samples: number[] = [];
      const nodeBefore = process.cpuUsage();
      const postgresBefore = cpuSeconds(postgresPid, true);
      for (let round = 0; round < rounds; round++) {
        const started = performance.now();
        await get(url);
        samples.push(performance.now() - started);
      }
      const node = process.cpuUsage(nodeBefore);
      const postgres = cpuSeconds(postgresPid, true) - postgresBefore;
      samples.sort((left, right) => left - right);
      timings.push({
        endpoint,
        days,
        p50Ms: Number(percentile(samples, 0.5).toFixed(1)),
        p95Ms: Number(percentile(samples, 0.95).toFixed(1)),
        maxMs: Number((samples.at(-1) ?? 0).toFixed(1)),
        nodeCpuMs: Math.round((node.user + node.system) / 1000 / rounds),
        postgresCpuMs: Math.round((postgres * 1000) / rounds),
      });
    };
    for (const endpoint of endpoints) {
      for (const range of ranges) {
        await time(
          endpoint.name,
          range.days,
          `${base}${endpoint.path}?from=${range.from}&to=${range.to}${endpoint.bucket ? `&bucket=${endpoint.bucket}` : ''}${endpoint.extra ?? ''}`,
        );
      }
    }
    for (const date of [day(yearEnd), day(yearEnd + 7 * dayMs)]) {
      await time(`staffing (${date})`, 56, `${base}/api/agent/reports/staffing?date=${date}&channel=chat`);
    }

    // 4. Lag from an event to its rollup while the outbox takes a steady chat load (the node's own dispatcher at work).
    // BENCH_LAG_SECONDS=0 leaves it out (a quick re-run of the reports alone).
    const lag = lagSeconds > 0 ? await measureLag() : null;
    async function measureLag() {
      const pool = runtime.deps.pool;
      const chatIds = Array.from({ length: 200 }, () => randomUUID());
      for (const id of chatIds) {
        await pool.query(`INSERT INTO domain_events (type, subject_type, subject_id, payload) VALUES ($1, 'conversation', $2, $3)`, [
          conversationEvents.created,
          id,
          JSON.stringify({ conversationId: id, channel: 'chat', category: 'other' }),
        ]);
      }
      let isLoading = true;
      let loadEvents = 0;
      const load = (async () => {
        const perTick = Math.max(1, Math.round(chatLoadPerSecond / 20));
        while (isLoading) {
          const started = performance.now();
          const values: string[] = [];
          const parameters: unknown[] = [];
          for (let index = 0; index < perTick; index++) {
            const id = pick(chatIds);
            parameters.push(
              id,
              JSON.stringify({ conversationId: id, authorType: index % 2 ? 'agent' : 'customer', authorId: agents[0], isInternal: false }),
            );
            values.push(`('${conversationEvents.messagePosted}', 'conversation', $${parameters.length - 1}, $${parameters.length}::jsonb)`);
          }
          await pool.query(`INSERT INTO domain_events (type, subject_type, subject_id, payload) VALUES ${values.join(', ')}`, parameters);
          loadEvents += perTick;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - (performance.now() - started))));
        }
      })();
      const lags: number[] = [];
      const lagDeadline = performance.now() + lagSeconds * 1000;
      while (performance.now() < lagDeadline) {
        const id = randomUUID();
        const started = performance.now();
        await pool.query(`INSERT INTO domain_events (type, subject_type, subject_id, payload) VALUES ($1, 'conversation', $2, $3)`, [
          conversationEvents.created,
          id,
          JSON.stringify({ conversationId: id, channel: 'chat', category: 'other' }),
        ]);
        for (;;) {
          const found = await pool.query('SELECT 1 FROM report_conversations WHERE id = $1', [id]);
          if (found.rowCount) break;
          if (performance.now() - started > 60_000) throw new Error('an event did not reach the reports within 60 s');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        lags.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      isLoading = false;
      await load;
      lags.sort((left, right) => left - right);
      return {
        chatEventsPerSecond: Math.round(loadEvents / lagSeconds),
        probes: lags.length,
        p50Ms: Number(percentile(lags, 0.5).toFixed(0)),
        p95Ms: Number(percentile(lags, 0.95).toFixed(0)),
        maxMs: Number((lags.at(-1) ?? 0).toFixed(0)),
      };
    }
    await runtime.close();

    printMarkdownTable(
      `bench:reports on ${machine().cpus} cores (${machine().cpuModel}): ${conversationCount.toLocaleString()} conversations, ${generated.toLocaleString()} events, one client, ${rounds} requests each, load average ${loadAverageBefore.join(', ')} before`,
      ['endpoint', 'days', 'p50 ms', 'p95 ms', 'max ms', 'CPU ms/request (node)', 'CPU ms/request (PostgreSQL)'],
      timings.map((row) => [row.endpoint, row.days, row.p50Ms, row.p95Ms, row.maxMs, row.nodeCpuMs, row.postgresCpuMs]),
    );
    printMarkdownTable(
      'report tables',
      ['table', 'rows', 'size'],
      sizes.rows.map((row) => [row.name, Number(row.rows).toLocaleString(), row.size]),
    );
    console.log(`\nfold: ${folded.toLocaleString()} events in ${foldSeconds.toFixed(0)} s (${foldRate?.toLocaleString() ?? '–'} events/s)`);
    const loadAverage = os.loadavg().map((value) => Number(value.toFixed(2)));
    console.log(`load average at the end (1, 5, 15 min): ${loadAverage.join(', ')}`);
    console.log(
      lag
        ? `rollup lag under ${lag.chatEventsPerSecond} chat events/s: p50 ${lag.p50Ms} ms, p95 ${lag.p95Ms} ms, max ${lag.maxMs} ms over ${lag.probes} probes`
        : 'rollup lag: not measured (BENCH_LAG_SECONDS=0)',
    );
    const file = await writeResults('reports', {
      machine: machine(),
      conversations: conversationCount,
      events: generated,
      agents: agentCount,
      writeSeconds,
      folded,
      foldSeconds,
      foldEventsPerSecond: foldRate,
      loadAverageBefore,
      loadAverage,
      tables: sizes.rows,
      timings,
      lag,
      at: new Date().toISOString(),
    });
    console.log(`\nwrote ${file}`);
  } finally {
    await cluster.stop();
    if (!keptDataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
