import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { runCli } from '../../test/cli.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';

// No database at all: an empty data directory and no DATABASE_URL.
const emptyDataDir = mkdtempSync(path.join(os.tmpdir(), 'okpay-hours-cli-'));
const okpay = (args: string[], env: Record<string, string> = { DATA_DIR: emptyDataDir }) => runCli(args, env);

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('okpay hours', () => {
  it('prints the due time of 240 business minutes from Friday 16:00 before Qingming, without a server or database', async () => {
    const run = await okpay(['hours', 'due', '--from', '2026-04-03T16:00:00+08:00', '--business-minutes', '240', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ due: '2026-04-07T03:00:00.000Z', calendar: 'default', timeZone: 'Asia/Shanghai' });
  });

  it('says whether a calendar is open and when that changes', async () => {
    const holiday = await okpay(['hours', 'open', '--at', '2026-10-01T10:00:00+08:00', '--json']);
    expect(JSON.parse(holiday.stdout)).toEqual({ open: false, nextChange: '2026-10-08T01:00:00.000Z' });
    const chat = await okpay(['hours', 'open', '--at', '2026-10-01T10:00:00+08:00', '--calendar', 'chat', '--json']);
    expect(JSON.parse(chat.stdout)).toEqual({ open: true, nextChange: '2026-10-01T13:00:00.000Z' });
  });

  it.each([
    [['hours', 'due', '--from', 'yesterday', '--business-minutes', '5'], /ISO 8601 instant/],
    [['hours', 'due', '--from', '2026-04-03T16:00:00+08:00', '--business-minutes', '-5'], /whole number/],
    [['hours', 'due', '--from', '2026-04-03T16:00:00+08:00'], /exactly one of/],
    [['hours', 'due', '--from', '2026-04-03T16:00:00+08:00', '--business-minutes', '5', '--calendar', 'nope'], /no calendar named "nope"/],
    [['hours', 'open', '--at', '2400-01-01T00:00:00Z'], /between 1971 and 2199/],
    [['hours', 'open', '--at', '2026-02-30T10:00:00+08:00'], /ISO 8601 instant/],
  ])('refuses %j with a clear reason and a non-zero exit', async (args, reason) => {
    const run = await okpay(args);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(reason);
    expect(run.stdout).toBe('');
  });

  it('reads the days administrators set from the database, read-only', async () => {
    const admin = await signedInStaff(runtime, 'admin');
    expect((await admin.client.put('/api/agent/hours/calendars/default/days/2026-04-07', { periods: [], note: 'Offsite' })).status).toBe(
      200,
    );
    const env = { DATABASE_URL: runtime.deps.config.databaseUrl as string, DATA_DIR: runtime.deps.config.dataDir };
    const run = await okpay(['hours', 'due', '--from', '2026-04-03T16:00:00+08:00', '--business-minutes', '240', '--json'], env);
    expect(JSON.parse(run.stdout).due).toBe('2026-04-08T03:00:00.000Z');
    const shipped = await okpay(
      ['hours', 'due', '--from', '2026-04-03T16:00:00+08:00', '--business-minutes', '240', '--json', '--shipped'],
      env,
    );
    expect(JSON.parse(shipped.stdout).due).toBe('2026-04-07T03:00:00.000Z');
  });
});
