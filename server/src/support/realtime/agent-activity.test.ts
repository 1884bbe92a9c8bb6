import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { connect, createAgent, listen, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

describe('agent activity when a node stops', () => {
  it('drops the offline checks its stopping leaves pending, so none runs against closed connections', async () => {
    const lines: string[] = [];
    const runtime = await startTestRuntime({
      env: { LOG_LEVEL: 'warn', AGENT_OFFLINE_GRACE_SECONDS: '1' },
      logDestination: { write: (line) => void lines.push(line) },
    });
    const url = await listen(runtime);
    const agent = await createAgent(runtime, { name: '停机客服' });
    const socket = await connect(url, agent.token, { reconnection: false });
    await request(socket, 'presence:set', { status: 'online' });
    // The stop cuts the agent's socket, which starts the grace period of an offline check.
    await runtime.close();
    socket.close();
    await sleep(1_500);
    expect(lines.filter((line) => line.includes('offline check failed'))).toEqual([]);
  });
});
