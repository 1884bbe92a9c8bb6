import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, devMailbox } from '../platform/index.js';
import type { Runtime } from '../runtime.js';
import { goodPassword, httpClient, uniqueEmail } from '../test/http.js';
import { startTestRuntime } from '../test/runtime.js';
import { createStaffMember } from './create-staff-member.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

async function register(overrides: Record<string, unknown> = {}) {
  const client = httpClient(runtime.app);
  const email = uniqueEmail();
  const response = await client.post('/api/auth/register', { email, password: goodPassword, displayName: '陈静', ...overrides });
  return { client, email, response };
}

describe('customer registration and sign-in', () => {
  it('registers, signs in with a cookie and answers /api/me', async () => {
    const { client, email, response } = await register({ phone: '13912345678' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customer: { email, displayName: '陈静', phone: '13912345678', emailVerified: false } });
    expect(response.raw.cookies.find((cookie) => cookie.name === 'okpay_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ customer: { email } });
  });

  it('stores emails case-insensitively and refuses a second account for the same address', async () => {
    const { email } = await register();
    const again = await httpClient(runtime.app).post('/api/auth/register', {
      email: email.toUpperCase(),
      password: goodPassword,
      displayName: 'Someone',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('refuses a phone number another account uses', async () => {
    await register({ phone: '13700000001' });
    const { response } = await register({ phone: '13700000001' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error: { code: 'phone_taken' } });
  });

  it.each([
    ['too short', 'short-pw1', 'validation_failed'],
    ['common', 'password123', 'password_too_common'],
    ['a keyboard sequence', '1234567890', 'password_too_common'],
    ['one repeated letter', 'aaaaaaaaaaaa', 'password_too_common'],
  ])('refuses a %s password', async (_label, password, code) => {
    const { response } = await register({ password });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code } });
  });

  it('answers in English when the browser asks for it and in Chinese by default', async () => {
    const body = { email: 'nobody@example.com', password: 'wrong-password-1' };
    const english = await httpClient(runtime.app).post('/api/auth/login', body, { 'accept-language': 'en-US,en;q=0.9' });
    const chinese = await httpClient(runtime.app).post('/api/auth/login', body);
    expect(english.body).toEqual({ error: { code: 'invalid_credentials', message: 'The email or password is incorrect' } });
    expect(chinese.body).toEqual({ error: { code: 'invalid_credentials', message: '邮箱或密码不正确' } });
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const { email } = await register();
    const wrongPassword = await httpClient(runtime.app).post('/api/auth/login', { email, password: 'not-the-password' });
    const unknownEmail = await httpClient(runtime.app).post('/api/auth/login', { email: uniqueEmail(), password: 'not-the-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
  });

  it('returns a bearer token that works without cookies or CSRF', async () => {
    const { email } = await register();
    const login = await httpClient(runtime.app).post('/api/auth/login', { email, password: goodPassword });
    const token = (login.body as { token: string }).token;
    expect(token.length).toBeGreaterThanOrEqual(43);
    const bare = httpClient(runtime.app, { headers: { authorization: `Bearer ${token}` } });
    expect((await bare.get('/api/me')).status).toBe(200);
    expect((await bare.patch('/api/me', { displayName: '新名字' })).body).toMatchObject({ customer: { displayName: '新名字' } });
    expect((await bare.post('/api/auth/logout')).status).toBe(204);
    expect((await bare.get('/api/me')).status).toBe(401);
  });

  it('refuses a cookie-authenticated change without the CSRF token', async () => {
    const { client } = await register();
    client.forgetCsrf();
    const response = await client.patch('/api/me', { displayName: 'Mallory' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: { code: 'csrf_failed' } });
    const forged = await client.patch('/api/me', { displayName: 'Mallory' }, { 'x-csrf-token': 'forged-token' });
    expect(forged.status).toBe(403);
  });

  it('logs out and the cookie stops working', async () => {
    const { client } = await register();
    const logout = await client.post('/api/auth/logout');
    expect(logout.status).toBe(204);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('lists sessions and signs another device out', async () => {
    const { client, email } = await register();
    const phone = httpClient(runtime.app, { headers: { 'user-agent': 'OKPay iOS' } });
    await phone.post('/api/auth/login', { email, password: goodPassword });
    const list = await client.get('/api/auth/sessions');
    const sessions = (list.body as { sessions: Array<{ id: string; isCurrent: boolean; userAgent: string | null }> }).sessions;
    expect(sessions).toHaveLength(2);
    const other = sessions.find((session) => !session.isCurrent);
    expect(other?.userAgent).toBe('OKPay iOS');
    expect((await client.delete(`/api/auth/sessions/${other?.id}`)).status).toBe(204);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(200);
    expect((await client.delete(`/api/auth/sessions/${other?.id}`)).status).toBe(404);
  });

  it('lists a staff member’s devices and signs another one out, without touching customers’ sessions', async () => {
    const email = uniqueEmail('staff');
    await createStaffMember(
      runtime.deps,
      { email, displayName: 'Devices', role: 'agent', password: goodPassword, chatCapacity: 3 },
      { type: 'system', id: 'test' },
    );
    const desk = httpClient(runtime.app, { headers: { 'user-agent': 'Desk browser' } });
    const laptop = httpClient(runtime.app, { headers: { 'user-agent': 'Laptop browser' } });
    expect((await desk.post('/api/agent/auth/login', { email, password: goodPassword })).status).toBe(200);
    expect((await laptop.post('/api/agent/auth/login', { email, password: goodPassword })).status).toBe(200);
    const sessions = (
      (await desk.get('/api/agent/auth/sessions')).body as { sessions: Array<{ id: string; isCurrent: boolean; userAgent: string }> }
    ).sessions;
    expect(sessions.map((session) => session.userAgent).sort()).toEqual(['Desk browser', 'Laptop browser']);
    const other = sessions.find((session) => !session.isCurrent);
    expect((await desk.delete(`/api/agent/auth/sessions/${other?.id}`)).status).toBe(204);
    expect((await laptop.get('/api/agent/me')).status).toBe(401);
    expect((await desk.get('/api/agent/me')).status).toBe(200);
    // A customer's session cannot reach the staff list.
    const { client } = await register();
    expect((await client.get('/api/agent/auth/sessions')).status).toBe(401);
  });

  it('verifies the email address with the emailed link, once', async () => {
    const { client, email } = await register();
    const token = await waitForDevMailToken(email, 'verify-email');
    const verified = await httpClient(runtime.app).post('/api/auth/verify-email', { token });
    expect(verified.status).toBe(200);
    expect((await client.get('/api/me')).body).toMatchObject({ customer: { emailVerified: true } });
    const again = await httpClient(runtime.app).post('/api/auth/verify-email', { token });
    expect(again.body).toMatchObject({ error: { code: 'verification_token_invalid' } });
  });

  it('writes sign-ins and failed sign-ins to the audit log', async () => {
    const { email } = await register();
    await httpClient(runtime.app).post('/api/auth/login', { email, password: 'wrong-password-9' }, { 'x-forwarded-for': '1.1.1.1' });
    await httpClient(runtime.app).post('/api/auth/login', { email, password: goodPassword });
    const events = await runtime.deps.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(3);
    expect(events.map((event) => [event.action, event.outcome])).toEqual([
      ['customer.logged_in', 'success'],
      ['customer.login_failed', 'failure'],
      ['customer.registered', 'success'],
    ]);
    expect(events[0]?.ip).toBeTruthy();
  });

  it('keeps the audit log append-only', async () => {
    await expect(runtime.deps.pool.query('update audit_events set action = $1', ['tampered'])).rejects.toThrow(/append-only/);
    await expect(runtime.deps.pool.query('delete from audit_events')).rejects.toThrow(/append-only/);
  });

  it('locks sign-in for an account after repeated failures, with Retry-After', async () => {
    const { email } = await register();
    const client = httpClient(runtime.app);
    for (let attempt = 0; attempt < runtime.deps.config.rateLimits.loginPerAccount; attempt++) {
      expect((await client.post('/api/auth/login', { email, password: 'wrong-password-0' })).status).toBe(401);
    }
    const locked = await client.post('/api/auth/login', { email, password: goodPassword });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

async function waitForDevMailToken(email: string, path: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mails = await runtime.deps.db.select().from(devMailbox).orderBy(desc(devMailbox.id));
    const mail = mails.find((row) => row.recipient === email && row.text.includes(path));
    const token = mail?.text.match(/token=([\w-]+)/)?.[1];
    if (token) return token;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${path} mail for ${email}`);
}
