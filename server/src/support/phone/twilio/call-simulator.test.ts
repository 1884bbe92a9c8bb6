import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime.js';
import { runCli as okpay } from '../../../test/cli.js';
import { freePort, startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { simulateCall } from './call-simulator.js';

const authToken = 'simulator-auth-token-0123456789';
let runtime: Runtime;
let url = '';

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // The real clock (Twilio's status reports carry the time they were sent), and the phone line open all day.
  runtime = await startTestRuntime({ env: { TWILIO_AUTH_TOKEN: authToken, PUBLIC_URL: url } });
  await runtime.app.listen({ port, host: '127.0.0.1' });
  const admin = await signedInStaff(runtime, 'admin');
  const allDay = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
  const saved = await admin.client.put('/api/agent/hours/calendars/phone', {
    timeZone: 'Asia/Shanghai',
    weekly: allDay,
    followsChinaHolidays: false,
  });
  expect(saved.status).toBe(200);
});
afterAll(() => runtime?.close());

const stateOf = async (id: string) =>
  (await runtime.deps.pool.query<{ state: string }>('select state from calls where id = $1', [id])).rows[0]?.state;

describe('the call simulator', () => {
  it('`okpay call simulate` places a signed call on the node and prints its final state', async () => {
    const run = await okpay(['call', 'simulate', '--from', '+8613800138000', '--outcome', 'answered'], {
      PUBLIC_URL: url,
      TWILIO_AUTH_TOKEN: authToken,
    });
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual({ id: expect.any(String), state: 'completed' });
    expect(await stateOf(printed.id)).toBe('completed');
  });

  it('refuses to run without the auth token, and a node with another token refuses its calls', async () => {
    const unset = await okpay(['call', 'simulate', '--from', '+8613800138000'], { PUBLIC_URL: url });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toContain('TWILIO_AUTH_TOKEN');
    const wrong = await okpay(['call', 'simulate', '--from', '+8613800138000', '--url', url], {
      TWILIO_AUTH_TOKEN: 'another-token-0123456789',
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('401');
    const badNumber = await okpay(['call', 'simulate', '--from', '13800138000'], { PUBLIC_URL: url, TWILIO_AUTH_TOKEN: authToken });
    expect(badNumber.stderr).toContain('E.164');
  });

  it.each([
    ['answered', 'completed'],
    ['abandoned', 'abandoned'],
    ['no-answer', 'no-answer'],
    ['voicemail', 'voicemail'],
  ] as const)('ends a call with outcome %s in state %s', async (outcome, state) => {
    const result = await simulateCall({ url, authToken, from: '+8613800138000', to: '+862100000000', outcome });
    expect(result.state).toBe(state);
    expect(await stateOf(result.id)).toBe(state);
    // A voicemail's recording is a real file the simulator serves on loopback until the node has fetched it.
    expect(result.recording).toEqual(outcome === 'voicemail' ? { fetched: true, requests: 1 } : undefined);
  });
});
