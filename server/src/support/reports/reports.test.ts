import { randomUUID } from 'node:crypto';
import type { Report } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFromStart } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { caughtUp } from '../../test/events.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { agentEvents, conversationEvents } from '../support.events.js';

/**
 * A small week hand-computed on paper: five conversations on Monday 2 and Tuesday 3 March 2026
 * (Beijing time), published to the outbox as the real use cases publish them, folded by the real
 * subscriber, read back through the report API.
 */

let runtime: Runtime;
let supervisor: Awaited<ReturnType<typeof signedInStaff>>;
const agentX = randomUUID();
const agentY = randomUUID();
const ids = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID(), e: randomUUID() };
const beijing = (local: string) => new Date(`2026-03-${local}+08:00`);

async function publish(type: string, subject: string, payload: Record<string, unknown>, at: string, subjectType = 'conversation') {
  await runtime.deps.pool.query(
    'INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)',
    [
      type,
      subjectType,
      subject,
      JSON.stringify(
        subjectType === 'conversation' ? { conversationId: subject, actorType: 'system', actorId: null, ...payload } : payload,
      ),
      beijing(at),
    ],
  );
}
const customerSays = (id: string, at: string) =>
  publish(conversationEvents.messagePosted, id, { authorType: 'customer', isInternal: false }, at);
const agentSays = (id: string, agent: string, at: string) =>
  publish(conversationEvents.messagePosted, id, { authorType: 'agent', authorId: agent, isInternal: false }, at);
const assign = (id: string, agent: string, at: string, previous: string | null = null) =>
  publish(conversationEvents.assigned, id, { assigneeId: agent, previousAssigneeId: previous, via: 'manual' }, at);

beforeAll(async () => {
  runtime = await startTestRuntime();
  supervisor = await signedInStaff(runtime, 'supervisor');
  for (const [id, name] of [
    [agentX, '客服小徐'],
    [agentY, '客服小叶'],
  ]) {
    await runtime.deps.pool.query(
      "INSERT INTO staff_members (id, email, display_name, role, password_hash) VALUES ($1, $2, $3, 'agent', 'x')",
      [id, `${id}@okpay.test`, name],
    );
  }
  const { a, b, c, d, e } = ids;
  // A, chat: answered in 2 minutes, a follow-up in 1, resolved at 10:10 by X, rated 2 (slow).
  await publish(conversationEvents.created, a, { channel: 'chat', category: 'top_up' }, '02T10:00:00');
  await customerSays(a, '02T10:00:00');
  await assign(a, agentX, '02T10:00:30');
  await agentSays(a, agentX, '02T10:02:00');
  await publish(
    'support.sla.met',
    a,
    { target: 'first_response', policy: 'chat', dueAt: '', at: beijing('02T10:02:00').toISOString() },
    '02T10:02:00',
  );
  await customerSays(a, '02T10:05:00');
  await agentSays(a, agentX, '02T10:06:00');
  await publish(conversationEvents.resolved, a, { from: 'open', to: 'resolved' }, '02T10:10:00');
  await publish(conversationEvents.ratingRequested, a, { channel: 'widget' }, '02T10:10:00');
  await publish(conversationEvents.rated, a, { score: 2, previousScore: null, reasons: ['slow_reply'], agentId: agentX }, '02T10:12:00');
  // B, chat late on Monday: answered at 21:10, ten minutes after chat closed (21:00), by Y.
  await publish(conversationEvents.created, b, { channel: 'chat', category: 'account' }, '02T20:50:00');
  await customerSays(b, '02T20:50:00');
  await assign(b, agentY, '02T20:51:00');
  await agentSays(b, agentY, '02T21:10:00');
  await publish(
    'support.sla.met',
    b,
    { target: 'first_response', policy: 'chat', dueAt: '', at: beijing('02T21:10:00').toISOString() },
    '02T21:10:00',
  );
  await publish(conversationEvents.resolved, b, { from: 'open', to: 'resolved' }, '02T21:20:00');
  await publish(conversationEvents.ratingRequested, b, { channel: 'widget' }, '02T21:20:00');
  await publish(
    conversationEvents.rated,
    b,
    { score: 5, previousScore: null, reasons: ['friendly', 'fast_solution'], agentId: agentY },
    '02T21:25:00',
  );
  await publish(conversationEvents.rated, b, { score: 4, previousScore: 5, reasons: ['friendly'], agentId: agentY }, '03T08:00:00');
  // C, email at 17:00 on Monday, answered Tuesday 10:00 (business hours Mon–Fri 09–18), reopened once.
  await publish(conversationEvents.created, c, { channel: 'email', category: 'top_up' }, '02T17:00:00');
  await customerSays(c, '02T17:00:00');
  await assign(c, agentX, '02T17:00:00');
  await publish(
    'support.sla.breached',
    c,
    { target: 'first_response', policy: 'email', dueAt: '', at: beijing('03T09:00:00').toISOString() },
    '03T09:00:00',
  );
  await agentSays(c, agentX, '03T10:00:00');
  await publish(conversationEvents.resolved, c, { from: 'open', to: 'resolved' }, '03T10:30:00');
  await publish(
    'support.sla.met',
    c,
    { target: 'resolution', policy: 'email', dueAt: '', at: beijing('03T10:30:00').toISOString() },
    '03T10:30:00',
  );
  await publish(conversationEvents.reopened, c, { from: 'resolved', to: 'open', actorType: 'customer' }, '03T11:00:00');
  await customerSays(c, '03T11:00:00');
  await agentSays(c, agentX, '03T11:20:00');
  await publish(conversationEvents.resolved, c, { from: 'open', to: 'resolved' }, '03T11:30:00');
  // D, chat nobody answered: abandoned.
  await publish(conversationEvents.created, d, { channel: 'chat', category: 'other' }, '02T12:00:00');
  await customerSays(d, '02T12:00:00');
  await publish(conversationEvents.resolved, d, { from: 'open', to: 'resolved' }, '02T12:05:00');
  // E, chat on Tuesday: X answers in a minute, hands it to Y, Y resolves.
  await publish(conversationEvents.created, e, { channel: 'chat', category: 'top_up' }, '03T09:00:00');
  await customerSays(e, '03T09:00:00');
  await assign(e, agentX, '03T09:00:10');
  await agentSays(e, agentX, '03T09:01:00');
  await assign(e, agentY, '03T09:02:00', agentX);
  await agentSays(e, agentY, '03T09:03:00');
  await publish(conversationEvents.resolved, e, { from: 'open', to: 'resolved' }, '03T09:05:00');
  // Help-centre suggestions: three attempts, one article opened, one chat started anyway.
  for (const at of ['02T09:10:00', '02T09:20:00', '02T09:30:00']) {
    await publish('support.help-suggestions.shown', randomUUID(), { surface: 'pre_chat', slugs: [] }, at, 'help_suggestion');
  }
  await publish('support.help-suggestion.opened', randomUUID(), { slug: 'top-up-failed' }, '02T09:11:00', 'help_suggestion');
  await publish('support.help-suggestion.chat-started', randomUUID(), { conversationId: a }, '02T09:59:00', 'help_suggestion');
  // X online 09:00–12:00 on Monday.
  await publish(agentEvents.presenceChanged, agentX, { staffId: agentX, status: 'online' }, '02T09:00:00', 'staff');
  await publish(agentEvents.presenceChanged, agentX, { staffId: agentX, status: 'offline' }, '02T12:00:00', 'staff');
  await caughtUp(runtime, 'support.reports');
});
afterAll(() => runtime?.close());

async function report(name: string, query = ''): Promise<Report> {
  const answer = await supervisor.client.get(`/api/agent/reports/${name}?from=2026-03-02&to=2026-03-03${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as Report;
}
/**
 * Many chats straight into the outbox: the i-th of `count` created at `start` + i × `spacing`, with
 * its customer's first message, agent X's answer `answerAfter` later and, if given, resolved
 * `resolveAfter` later (SQL over `c.i`, which is i).
 */
async function publishManyChats(chats: { start: string; spacing: string; count: number; answerAfter: string; resolveAfter?: string }) {
  const events = [
    `(1, $1, '{"channel": "chat", "category": "other"}'::jsonb, c.t)`,
    `(2, $2, '{"authorType": "customer", "isInternal": false}'::jsonb, c.t)`,
    `(3, $2, jsonb_build_object('authorType', 'agent', 'authorId', $3::text, 'isInternal', false), c.t + ${chats.answerAfter})`,
    ...(chats.resolveAfter ? [`(4, $7, '{"from": "open", "to": "resolved"}'::jsonb, c.t + ${chats.resolveAfter})`] : []),
  ];
  await runtime.deps.pool.query(
    `INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
     SELECT e.type, 'conversation', c.id::text, jsonb_build_object('conversationId', c.id::text, 'actorType', 'system') || e.payload, e.at
     FROM (SELECT gen_random_uuid() AS id, i, $4::timestamptz + i * $5::interval AS t FROM generate_series(1, $6::int) AS i) c
     CROSS JOIN LATERAL (VALUES ${events.join(', ')}) AS e(n, type, payload, at)
     ORDER BY c.i, e.n`,
    [
      conversationEvents.created,
      conversationEvents.messagePosted,
      agentX,
      chats.start,
      chats.spacing,
      chats.count,
      ...(chats.resolveAfter ? [conversationEvents.resolved] : []),
    ],
  );
}

const rowNamed = (report: Report, table: string, name: string) =>
  report.tables.find((item) => item.id === table)?.rows.find((row) => row.cells.name === name)?.cells;

describe('reports built from the outbox', () => {
  it('counts volume, reopens, transfers and abandonment as computed by hand', async () => {
    const volume = await report('volume');
    expect(volume.from).toBe('2026-03-01T16:00:00.000Z');
    expect(volume.to).toBe('2026-03-03T16:00:00.000Z');
    expect(volume.summary).toEqual({
      created: 5,
      resolved: 6,
      reopened: 1,
      reopenRate: 1 / 6,
      transferred: 1,
      abandoned: 1,
      abandonmentRate: 1 / 4,
      replies: 7,
    });
    expect(volume.series.map((point) => [point.label, point.values.created, point.values.resolved])).toEqual([
      ['2026-03-02', 4, 3],
      ['2026-03-03', 1, 3],
    ]);
    expect(rowNamed(volume, 'channels', '邮件')).toMatchObject({ created: 1, resolved: 2, reopened: 1 });
    expect(rowNamed(volume, 'agents', '客服小徐')).toMatchObject({ resolved: 3, transferred: 1, replies: 5 });
    expect(rowNamed(volume, 'agents', '客服小叶')).toMatchObject({ resolved: 2, replies: 2 });
    // Arrivals heatmap: Monday 10:00, 12:00, 17:00, 20:00 and Tuesday 09:00.
    expect(volume.heatmap?.filter((cell) => cell.value > 0).map((cell) => [cell.weekday, cell.hour])).toEqual([
      [0, 10],
      [0, 12],
      [0, 17],
      [0, 20],
      [1, 9],
    ]);
  });

  it('gives response-time medians and percentiles in wall-clock and business time', async () => {
    const times = await report('response-times');
    expect(times.method).toBe('exact');
    expect(times.summary).toMatchObject({
      'first_response.count': 4,
      'first_response.p50': 660,
      'first_response.p90': 43_200,
      'first_response.p95': 52_200,
      'first_response.business_p50': 360,
      'first_response.business_p90': 5_220,
      'next_response.p50': 630,
      'resolution.p50': 600,
      'resolution.business_p50': 600,
      'handle.p50': 1_740,
      'handle.mean': 13_480,
      'queue_wait.p50': 30,
      'queue_wait.count': 3,
    });
    expect(rowNamed(times, 'agents', '客服小徐')).toMatchObject({ firstResponseP50: 120, count: 3 });
    expect(rowNamed(times, 'channels', '邮件')).toMatchObject({ firstResponseP50: 61_200, firstResponseBusinessP50: 7_200 });
  });

  it('filters by channel, agent and category, also across two at once and by the hour', async () => {
    const email = await report('response-times', '&channel=email');
    expect(email.summary['first_response.p50']).toBe(61_200);
    const topUpsOfX = await report('volume', `&agentId=${agentX}&category=top_up&bucket=hour`);
    // A and C were resolved by X (C twice); replies have no raw facts to cross two dimensions with.
    expect(topUpsOfX.summary).toMatchObject({ resolved: 3, replies: null });
    expect(topUpsOfX.series.filter((point) => (point.values.resolved ?? 0) > 0).map((point) => point.label)).toEqual([
      '03-02 10:00',
      '03-03 10:00',
      '03-03 11:00',
    ]);
  });

  it("answers one agent's categories and hours of the week from the facts, adding up to the agent's totals", async () => {
    const times = await report('response-times', `&agentId=${agentX}&bucket=hour_of_week`);
    const byCategory = times.tables.find((table) => table.id === 'categories')?.rows ?? [];
    const counted = byCategory.reduce((sum, row) => sum + Number(row.cells.count ?? 0), 0);
    expect(counted).toBe(times.summary['first_response.count']);
    expect(counted).toBeGreaterThan(0);
    expect(rowNamed(times, 'categories', '充值')).toMatchObject({ count: 3, firstResponseP50: 120 });
    // X's first responses by the hour of the week, each hour counted in the team's zone.
    expect(times.series.filter((point) => point.values.count).map((point) => [point.label, point.values.count])).toEqual([
      ['周一 10:00', 1],
      ['周二 09:00', 1],
      ['周二 10:00', 1],
    ]);
  });

  it('reports ratings with a changed rating moved, not added', async () => {
    const csat = await report('csat');
    expect(csat.summary).toEqual({ ratings: 2, average: 3, csat: 0.5, low: 1, responseRate: 1, requested: 2 });
    const reasons = csat.tables.find((table) => table.id === 'reasons')?.rows.map((row) => [row.cells.reason, row.cells.count]);
    expect(reasons?.slice(0, 2)).toEqual([
      ['回复慢', 1],
      ['态度好', 1],
    ]);
    expect(reasons?.find(([reason]) => reason === '解决快')).toEqual(['解决快', 0]);
  });

  it('reports SLA attainment from the SLA clocks, per target', async () => {
    const sla = await report('sla');
    expect(sla.summary).toMatchObject({
      met: 3,
      breached: 1,
      attainment: 0.75,
      'first_response.attainment': 2 / 3,
      'resolution.attainment': 1,
    });
  });

  it('reports help-centre deflection', async () => {
    const deflection = await report('deflection');
    expect(deflection.summary).toEqual({ shown: 3, opened: 1, chatStarted: 1, deflected: 2, deflectionRate: 2 / 3, openRate: 1 / 3 });
  });

  it('lists the conversations behind a number and exports every table as CSV', async () => {
    const drill = await supervisor.client.get(
      `/api/agent/reports/conversations?metric=first_response&from=2026-03-02&to=2026-03-03&agentId=${agentX}`,
    );
    expect(drill.status).toBe(200);
    const body = drill.body as { total: number; conversations: Array<{ conversationId: string; value: number; agentName: string }> };
    expect(body.total).toBe(3);
    expect(body.conversations.map((row) => [row.conversationId, row.value])).toEqual([
      [ids.c, 61_200],
      [ids.e, 60],
      [ids.a, 120],
    ]);
    const csv = await supervisor.client.get('/api/agent/reports/response-times.csv?from=2026-03-02&to=2026-03-03&table=channels');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="okpay-response-times-channels-2026-03-02_2026-03-03.csv"');
    const lines = String(csv.body).replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toContain('"首次响应中位数（自然时间）（秒）"');
    expect(lines).toContainEqual(expect.stringMatching(/^"邮件",61200\.0,61200\.0,7200\.0,7200\.0,63000\.0,9000\.0,/));
  });

  it('rebuilds the same figures when the subscriber is replayed from the first event', async () => {
    const before = await report('response-times');
    expect(await replayFromStart(runtime.deps.db, 'support.reports')).toBe(true);
    await caughtUp(runtime, 'support.reports');
    const after = await report('response-times');
    expect(after.summary).toEqual(before.summary);
    expect((await report('csat')).summary.average).toBe(3);
  });

  it('answers percentiles over many conversations from the histograms, for the team and for one channel', async () => {
    // 1,600 chats on Tuesday 14 April 2026, the i-th answered after i seconds and resolved after 2i:
    // more values than are sorted on request, so the figures come from the day's histograms.
    await publishManyChats({
      start: '2026-04-14 10:00+08',
      spacing: '10 seconds',
      count: 1600,
      answerAfter: "c.i * interval '1 second'",
      resolveAfter: "2 * c.i * interval '1 second'",
    });
    await caughtUp(runtime, 'support.reports');
    const on = async (query: string) => {
      const answer = await supervisor.client.get(`/api/agent/reports/response-times?from=2026-04-14&to=2026-04-14${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body as Report;
    };
    // Exact (percentile_cont over 1…1600 s): p50 800.5, p95 1520.05; buckets are 15 % wide.
    for (const times of [await on(''), await on('&channel=chat')]) {
      expect(times.method).toBe('histogram');
      expect(times.summary['first_response.count']).toBe(1600);
      expect(Math.abs((times.summary['first_response.p50'] as number) - 800.5)).toBeLessThan(800.5 * 0.15);
      expect(Math.abs((times.summary['first_response.p95'] as number) - 1520.05)).toBeLessThan(1520.05 * 0.15);
      expect(Math.abs((times.summary['resolution.p50'] as number) - 1601)).toBeLessThan(1601 * 0.15);
      expect(rowNamed(times, 'channels', '在线聊天')?.firstResponseP50).toEqual(times.summary['first_response.p50']);
    }
    const email = await on('&channel=email');
    expect(email.summary['first_response.count']).toBe(0);
    expect(email.summary['first_response.p50']).toBeNull();
    // Folding 6,400 events takes about 20 s on a busy 2-core machine: more than the default 30 s leaves room for.
  }, 90_000);

  it('keeps wall-clock and business time apart in the histograms: answers that cross chat closing time', async () => {
    // 3,200 chats on Tuesday 21 April 2026 from 20:30 (more than are sorted on request), the i-th at
    // 20:30 + i/2 s, each answered an hour later, after chat closed at 21:00: an hour of wall-clock
    // time and 1,800 − i/2 s of business time.
    await publishManyChats({ start: '2026-04-21 20:30+08', spacing: '0.5 second', count: 3200, answerAfter: "interval '1 hour'" });
    await caughtUp(runtime, 'support.reports');
    const answer = await supervisor.client.get('/api/agent/reports/response-times?from=2026-04-21&to=2026-04-21');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const times = answer.body as Report;
    expect(times.method).toBe('histogram');
    expect(times.summary['first_response.count']).toBe(3200);
    // Exact: 3,600 s for every chat; business time 1,799.5 … 200 s, median 999.75. Buckets are 15 % wide.
    expect(Math.abs((times.summary['first_response.p50'] as number) - 3600)).toBeLessThan(3600 * 0.15);
    expect(Math.abs((times.summary['first_response.business_p50'] as number) - 999.75)).toBeLessThan(999.75 * 0.15);
  }, 90_000);

  it('refuses ranges it cannot answer, and agents', async () => {
    const backwards = await supervisor.client.get('/api/agent/reports/volume?from=2026-03-05&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ error: { code: 'report_range_invalid' } });
    const long = await supervisor.client.get('/api/agent/reports/volume?from=2024-01-01&to=2026-03-01');
    expect(long.body).toMatchObject({ error: { code: 'report_range_too_long' } });
    const hourly = await supervisor.client.get('/api/agent/reports/volume?from=2026-01-01&to=2026-03-01&bucket=hour');
    expect(hourly.body).toMatchObject({ error: { code: 'report_bucket_too_fine' } });
    const missingTable = await supervisor.client.get('/api/agent/reports/volume.csv?from=2026-03-02&to=2026-03-03&table=nope');
    expect(missingTable.status).toBe(404);
    const agent = await signedInStaff(runtime, 'agent');
    expect((await agent.client.get('/api/agent/reports/volume?from=2026-03-02&to=2026-03-03')).status).toBe(403);
  });
});
