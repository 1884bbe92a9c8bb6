import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StaffingPlan } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { runCli } from '../../test/cli.js';
import { caughtUp } from '../../test/events.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { buildHours, noStoredHours } from '../hours/support-hours.js';
import { agentEvents, conversationEvents } from '../support.events.js';
import { matchingDays } from './plan-staffing.js';

const okpay = (args: string[]) => runCli(args, { DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'okpay-staffing-cli-')) });

// Each run starts a Node process that loads the whole CLI: slow on a busy machine.
describe('okpay staffing', { timeout: 120_000 }, () => {
  it('prints the agents Erlang C requires for the operator example, without a server', async () => {
    const run = await okpay([
      'staffing',
      ...['--contacts', '240', '--interval-minutes', '30', '--aht-seconds', '300', '--answer-within-seconds', '30'],
      ...['--service-level', '0.9', '--max-occupancy', '0.88', '--shrinkage', '0.32', '--json'],
    ]);
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as Record<string, number>;
    expect(Object.keys(answer)).toEqual(['agents', 'scheduled', 'serviceLevel', 'occupancy', 'waitProbability']);
    expect(answer).toMatchObject({ agents: 48, scheduled: 71 });
    expect(answer.serviceLevel).toBeCloseTo(0.9299, 4);
    expect(answer.occupancy).toBeCloseTo(0.8333, 4);
    expect(answer.waitProbability).toBeCloseTo(0.156, 3);
  });

  it('refuses bad input with a clear reason and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['staffing', '--contacts', '240', '--aht-seconds', '300', '--service-level', '1.5'],
        /--service-level: must be a ratio between 0 and 1/,
      ],
      [['staffing', '--contacts', 'lots', '--aht-seconds', '300'], /--contacts must be a plain number/],
      [['staffing', '--contacts', '240'], /required option '--aht-seconds/],
      [['staffing', '--contacts', '240', '--aht-seconds', '300', '--shrinkage', '1'], /--shrinkage: must be a ratio from 0 up to/],
    ];
    // Each command starts its own Node; they run side by side.
    const runs = await Promise.all(cases.map(([args]) => okpay(args)));
    for (const [index, run] of runs.entries()) {
      expect(run.status, cases[index]?.[0].join(' ')).not.toBe(0);
      expect(run.stderr).toMatch(cases[index]?.[1] ?? /never/);
    }
  });
});

describe('which past days a day is forecast from', () => {
  const calendar = buildHours(noStoredHours).calendars.get('default');
  const history = Array.from({ length: 8 * 7 }, (_, index) => new Date(Date.UTC(2026, 1, 9 + index)).toISOString().slice(0, 10));

  it('uses the same weekday for an ordinary day, leaving out holidays', () => {
    // Mondays 16 and 23 February 2026 were in the Spring Festival break.
    expect(matchingDays(calendar, '2026-04-13', history)).toEqual([
      '2026-02-09',
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
    ]);
  });

  it('uses other public holidays for a holiday (Qingming, 6 April 2026)', () => {
    const days = matchingDays(calendar, '2026-04-06', history);
    expect(days).toContain('2026-02-17');
    expect(days).toContain('2026-04-04');
    expect(days.every((day) => calendar?.day(day).kind === 'public_holiday')).toBe(true);
  });

  it('uses workdays for a make-up workday (调休, Saturday 28 February 2026)', () => {
    const days = matchingDays(calendar, '2026-02-28', history.slice(0, 20));
    expect(days).toContain('2026-02-13');
    expect(days).toContain('2026-02-14');
    expect(days).not.toContain('2026-02-21');
    expect(days).not.toContain('2026-02-16');
  });
});

describe('the staffing plan', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime({ clock: fixedClock('2026-03-08T12:00:00+08:00') });
  });
  afterAll(() => runtime?.close());

  async function publish(type: string, subject: string, payload: Record<string, unknown>, at: Date, subjectType = 'conversation') {
    await runtime.deps.pool.query(
      'INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)',
      [type, subjectType, subject, JSON.stringify({ conversationId: subject, ...payload }), at],
    );
  }

  it('forecasts Monday 10:00 from past Mondays, staffs it by Erlang C, and flags it when fewer are usually online', async () => {
    const agent = randomUUID();
    // 10, 20 and 30 chats between 10:00 and 10:30 on three Mondays, each held five minutes by an agent,
    // who was online from 10:00 to 10:30 each time; and a busy Spring Festival Monday, not like the others.
    for (const [week, chats] of [
      ['2026-02-02', 10],
      ['2026-02-09', 20],
      ['2026-03-02', 30],
      ['2026-02-16', 60],
    ] as const) {
      const base = Date.parse(`${week}T10:00:00+08:00`);
      await publish(agentEvents.presenceChanged, agent, { staffId: agent, status: 'online' }, new Date(base), 'staff');
      for (let index = 0; index < chats; index++) {
        const id = randomUUID();
        const at = base + index * 30_000;
        await publish(conversationEvents.created, id, { channel: 'chat', category: 'other' }, new Date(at));
        await publish(conversationEvents.assigned, id, { assigneeId: agent, previousAssigneeId: null }, new Date(at));
        await publish(conversationEvents.resolved, id, { from: 'open', to: 'resolved' }, new Date(at + 300_000));
      }
      await publish(agentEvents.presenceChanged, agent, { staffId: agent, status: 'offline' }, new Date(base + 1_800_000), 'staff');
    }
    await caughtUp(runtime, 'support.reports');
    const supervisor = await signedInStaff(runtime, 'supervisor');
    const answer = await supervisor.client.get(
      '/api/agent/reports/staffing?date=2026-03-09&channel=chat&weeks=6&concurrency=1&serviceLevel=0.8&answerWithinSeconds=20&maxOccupancy=0.85&shrinkage=0.3',
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const plan = answer.body as StaffingPlan;
    expect(plan).toMatchObject({ date: '2026-03-09', dayKind: 'monday', timeZone: 'Asia/Shanghai' });
    expect(plan.parameters).toMatchObject({ ahtSeconds: 300, effectiveAhtSeconds: 300, concurrencyFactor: 1 });
    // History starts with the first contact on record (2 February); 16 and 23 February were Spring Festival holidays.
    expect(plan.parameters).toMatchObject({ historyDays: ['2026-02-02', '2026-02-09', '2026-03-02'], forecastBasis: 'similar' });
    const ten = plan.intervals.find((interval) => interval.label === '10:00');
    // (10 + 20 + 30) chats over three ordinary Mondays: 20 per half hour at 300 s is 3.3 Erlangs;
    // 6 agents answer 88 % within 20 s (5 only 71 %), 9 scheduled with 30 % shrinkage.
    expect(ten).toMatchObject({ forecast: 20, actual: null, typicalOnline: 1, isOpen: true, required: 6, scheduled: 9 });
    expect(ten?.serviceLevel).toBeCloseTo(0.876, 3);
    expect(ten?.isUnderstaffed).toBe(true);
    expect(plan.intervals.find((interval) => interval.label === '03:00')).toMatchObject({ isOpen: false, required: null });
    expect(plan.peak).toMatchObject({ label: '10:00', required: 6 });
  });

  it('refuses a day more than a year away', async () => {
    const supervisor = await signedInStaff(runtime, 'supervisor');
    const answer = await supervisor.client.get('/api/agent/reports/staffing?date=2030-01-01');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'staffing_date_out_of_range' } });
  });
});
