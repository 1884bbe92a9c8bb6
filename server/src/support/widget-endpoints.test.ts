import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../identity/index.js';
import type { Runtime } from '../runtime.js';
import { connect, createChatCustomer, listen, request } from '../test/realtime.js';
import { startTestRuntime } from '../test/runtime.js';
import { signedInStaff } from '../test/staff.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('what the widget calls from other sites', () => {
  it('answers preflight and any origin for the token-authenticated endpoints, never for the cookie one', async () => {
    const preflight = await runtime.app.inject({
      method: 'OPTIONS',
      url: '/api/support/status',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-chat-token');
    const status = await runtime.app.inject({ url: '/api/support/status', headers: { origin: 'https://shop.example' } });
    expect(status.headers['access-control-allow-origin']).toBe('*');
    expect(status.headers['access-control-allow-credentials']).toBeUndefined();
    const cookieOnly = await runtime.app.inject({
      method: 'OPTIONS',
      url: '/api/support/realtime-token',
      headers: { origin: 'https://evil.example' },
    });
    expect(cookieOnly.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets every API path the widget’s code calls be called from another site', async () => {
    const widgetSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget/src');
    const called = new Set<string>();
    for (const entry of readdirSync(widgetSource, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || entry.name.includes('.test.')) continue;
      const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      for (const match of text.matchAll(/['"`](\/api\/[\w/-]+)/g)) called.add(match[1] as string);
    }
    expect(called).toContain('/api/support/callbacks');
    expect(called).toContain('/api/support/voice/ice-servers');
    const refused: string[] = [];
    for (const calledPath of called) {
      const preflight = await runtime.app.inject({
        method: 'OPTIONS',
        url: calledPath.endsWith('/') || calledPath.endsWith('-') ? `${calledPath}x` : calledPath,
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      if (preflight.headers['access-control-allow-origin'] !== '*') refused.push(calledPath);
    }
    expect(refused).toEqual([]);
  });

  it('gives the picker to a customer by chat token and refuses visitors and strangers', async () => {
    const customer = await createChatCustomer(runtime, '挑选者');
    const picked = await runtime.app.inject({ url: '/api/support/picker', headers: { 'x-chat-token': customer.token } });
    expect(picked.statusCode).toBe(200);
    expect(picked.json()).toEqual({ items: [] });
    const visitor = await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} });
    const asVisitor = await runtime.app.inject({ url: '/api/support/picker', headers: { 'x-chat-token': visitor.json().token } });
    expect(asVisitor.statusCode).toBe(401);
    const forged = await runtime.app.inject({ url: '/api/support/picker', headers: { 'x-chat-token': 'forged.token' } });
    expect(forged.statusCode).toBe(401);
    expect((await runtime.app.inject('/api/support/picker')).statusCode).toBe(401);
  });

  it('tells the widget its zone, and a customer’s email only once they proved it is theirs', async () => {
    const customer = await createChatCustomer(runtime, '填表者');
    const profileOf = async (token: string) => runtime.app.inject({ url: '/api/support/me', headers: { 'x-chat-token': token } });
    const unverified = await profileOf(customer.token);
    expect(unverified.statusCode).toBe(200);
    expect(unverified.json()).toEqual({ kind: 'customer', name: '填表者', verifiedEmail: null, timeZone: 'Asia/Shanghai' });
    await runtime.deps.db.update(customers).set({ emailVerifiedAt: new Date() }).where(eq(customers.id, customer.id));
    expect((await profileOf(customer.token)).json()).toMatchObject({ verifiedEmail: customer.email });
    const visitor = (await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} })).json();
    expect((await profileOf(visitor.token)).json()).toEqual({
      kind: 'visitor',
      name: null,
      verifiedEmail: null,
      timeZone: 'Asia/Shanghai',
    });
    const forged = await profileOf('forged.token');
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'realtime_unauthorized' } });
    expect((await runtime.app.inject('/api/support/me')).statusCode).toBe(401);
  });

  it('tells whether a chat would be answered at once, or how long the wait is', async () => {
    const agent = await signedInStaff(runtime, 'agent', { chatCapacity: 1 });
    await agent.client.put('/api/agent/presence', { status: 'online' });
    expect((await runtime.app.inject('/api/support/status')).json()).toMatchObject({
      isAvailable: true,
      freeAgents: 1,
      queueLength: 0,
      estimatedWaitSeconds: 0,
    });
    const busy = await createChatCustomer(runtime);
    const socket = await connect(await listen(runtime), busy.token);
    await request(socket, 'conversation:start', { category: 'other' });
    socket.disconnect();
    const full = (await runtime.app.inject('/api/support/status')).json();
    expect(full).toMatchObject({ isAvailable: true, agentsOnline: 1, freeAgents: 0 });
    expect(full.estimatedWaitSeconds).toBeGreaterThan(0);
  });

  it('keeps a visitor the same visitor when the old token is sent back', async () => {
    const first = (await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} })).json();
    const again = (await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: { token: first.token } })).json();
    expect(again.visitorId).toBe(first.visitorId);
    const fresh = (await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: { token: 'garbage' } })).json();
    expect(fresh.visitorId).not.toBe(first.visitorId);
  });

  it('serves the built widget script to any site', async () => {
    const response = await runtime.app.inject('/widget.js');
    expect(response.statusCode, 'build the widget first: npm run build -w widget').toBe(200);
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.body).toContain('OKPayChat');
  });
});
