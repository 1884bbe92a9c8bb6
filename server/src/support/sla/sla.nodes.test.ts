import type { SlaAlertsEvent } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { publishedEvents } from '../../test/events.js';
import { connect, createAgent, listen } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { evaluateSla } from './evaluate-sla.js';

// Two nodes on one database and one clock: a Friday evening, then Sunday night past the 48 hours.
const clock = fixedClock('2026-12-04T19:00:00+08:00');
const conversations = 40;
let nodeA: Runtime;
let nodeB: Runtime;
let supervisor: Socket | undefined;
beforeAll(async () => {
  nodeA = await startTestRuntime({ clock });
  nodeB = await startTestRuntime({ clock, databaseUrl: nodeA.databaseUrl });
});
afterAll(async () => {
  supervisor?.disconnect();
  await nodeB?.close();
  await nodeA?.close();
});

describe('the SLA breach job on two nodes', () => {
  it('records each breach once when both nodes evaluate at the same moment, and supervisors hear of it live on the other node', async () => {
    await nodeA.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
    for (let index = 0; index < conversations; index++) {
      const left = await nodeA.app.inject({
        method: 'POST',
        url: '/api/support/offline-messages',
        payload: { email: `late.${index}@example.com`, message: `第 ${index} 条留言：转账没有到账` },
      });
      expect(left.statusCode).toBe(201);
    }
    // Either node's dispatcher may be the one starting the clocks.
    await expect
      .poll(
        async () => (await nodeA.deps.pool.query("SELECT count(*)::int AS n FROM sla_clocks WHERE target = 'first_reply'")).rows[0]?.n,
        {
          timeout: 10_000,
        },
      )
      .toBe(conversations);
    const staff = await createAgent(nodeB, { role: 'supervisor' });
    supervisor = await connect(await listen(nodeB), staff.token);
    const heard: SlaAlertsEvent['alerts'] = [];
    supervisor.on('sla:alerts', (event: SlaAlertsEvent) => heard.push(...event.alerts));

    clock.set('2026-12-06T20:00:00+08:00');
    // Small batches so the two nodes interleave over the same clocks.
    const [first, second] = await Promise.all([evaluateSla(nodeA.deps, { batchSize: 3 }), evaluateSla(nodeB.deps, { batchSize: 3 })]);
    const recorded = await publishedEvents(nodeA.deps.pool, { typePrefix: 'support.sla.' });
    // A breach found by the job also counts as its warning: no separate warning is announced.
    expect([...new Set(recorded.map((event) => event.type))]).toEqual(['support.sla.breached']);
    expect(recorded).toHaveLength(conversations);
    expect(new Set(recorded.map((event) => event.subjectId)).size).toBe(conversations);
    const timeline = await nodeA.deps.pool.query("SELECT count(*)::int AS n FROM conversation_events WHERE type = 'sla_breached'");
    expect(timeline.rows[0]?.n).toBe(conversations);
    // The nodes shared the work (the minute tick may have taken a part), and nothing is left for the next run.
    expect(first.breached + second.breached).toBeLessThanOrEqual(conversations);
    expect(await evaluateSla(nodeB.deps)).toMatchObject({ breached: 0, warned: 0 });
    const raised = await nodeA.deps.pool.query("SELECT count(*)::int AS n FROM conversations WHERE channel = 'email' AND sla_risk = 2");
    expect(raised.rows[0]?.n).toBe(conversations);
    await expect.poll(() => heard.length, { timeout: 5_000 }).toBe(conversations);
    expect(new Set(heard.map((alert) => alert.conversationId)).size).toBe(conversations);
    expect(heard[0]).toMatchObject({
      kind: 'breached',
      target: 'first_reply',
      policy: 'email',
      dueAt: '2026-12-06T11:00:00.000Z',
      channel: 'email',
    });
  });
});
