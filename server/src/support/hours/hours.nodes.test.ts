import type { SupportHours } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';

// Two nodes on one database, keeping business hours for one second instead of fifteen.
const env = { SUPPORT_HOURS_CACHE_SECONDS: '1' };
let nodeA: Runtime;
let nodeB: Runtime;
beforeAll(async () => {
  nodeA = await startTestRuntime({ env, clock: fixedClock('2026-04-08T10:00:00+08:00') });
  nodeB = await startTestRuntime({ env, clock: fixedClock('2026-04-08T10:00:00+08:00'), databaseUrl: nodeA.databaseUrl });
});
afterAll(async () => {
  await nodeB?.close();
  await nodeA?.close();
});

const chatOpen = async (node: Runtime) => {
  const answer = (await node.app.inject('/api/support/hours')).json() as SupportHours;
  return answer.channels.find((channel) => channel.channel === 'chat')?.open;
};

describe('business hours on several nodes', () => {
  it('a change saved on one node reaches the others within the cache time', async () => {
    expect(await chatOpen(nodeB)).toBe(true);
    const admin = await signedInStaff(nodeA, 'admin');
    expect((await admin.client.put('/api/agent/hours/calendars/chat/days/2026-04-08', { periods: [], note: '停机' })).status).toBe(200);
    expect(await chatOpen(nodeA)).toBe(false);
    await expect.poll(() => chatOpen(nodeB), { timeout: 5_000, interval: 200 }).toBe(false);
  });
});
