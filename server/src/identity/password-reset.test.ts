import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/index.js';
import type { Runtime } from '../runtime.js';
import { goodPassword, httpClient, uniqueEmail } from '../test/http.js';
import { startTestRuntime } from '../test/runtime.js';
import { type SmtpSink, startSmtpSink } from '../test/smtp-sink.js';

const clock = fixedClock('2026-11-25T08:00:00Z');
let runtime: Runtime;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  runtime = await startTestRuntime({ env: { SMTP_URL: smtp.url }, clock });
});
afterAll(async () => {
  await runtime?.close();
  await smtp?.close();
});

async function registerCustomer(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const email = uniqueEmail('reset');
  const client = httpClient(runtime.app);
  await client.post('/api/auth/register', { email, password: goodPassword, displayName: 'Lin Tao', locale });
  return { email, client };
}

async function requestReset(email: string, headers: Record<string, string> = {}) {
  return httpClient(runtime.app).post('/api/auth/password-reset', { email }, headers);
}

async function resetMail(email: string, already = 0) {
  await smtp.waitFor((mail) => mail.to === email && /reset-password\?token=/.test(mail.text) && --already < 0);
  const mails = smtp.received.filter((mail) => mail.to === email && /reset-password\?token=/.test(mail.text));
  const mail = mails[mails.length - 1];
  const token = mail?.text.match(/reset-password\?token=([\w-]+)/)?.[1];
  if (!mail || !token) throw new Error('no token in mail');
  return { mail, token };
}

describe('password reset by emailed link over SMTP', () => {
  it('emails a Chinese reset link that mentions the spam folder, and the token resets the password once', async () => {
    const { email } = await registerCustomer('zh-CN');
    const answer = await requestReset(email);
    expect(answer.status).toBe(202);
    const { mail, token } = await resetMail(email);
    expect(mail.subject).toBe('OKPay 密码重设');
    expect(mail.text).toContain('垃圾邮件');
    expect(mail.text).toContain('http://okpay.test/reset-password?token=');
    expect(mail.html).toContain('重设密码');

    const confirm = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'New-Garden-Lantern-7' });
    expect(confirm.status).toBe(200);
    // No auto-login after a reset (OWASP): no session cookie, no token.
    expect(confirm.raw.cookies).toHaveLength(0);
    expect(confirm.body).not.toHaveProperty('token');

    const oldLogin = await httpClient(runtime.app).post('/api/auth/login', { email, password: goodPassword });
    expect(oldLogin.status).toBe(401);
    const newLogin = await httpClient(runtime.app).post('/api/auth/login', { email, password: 'New-Garden-Lantern-7' });
    expect(newLogin.status).toBe(200);

    const reuse = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'Another-Garden-8' });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: { code: 'reset_token_invalid' } });
  });

  it('writes the email in English for an English-speaking customer', async () => {
    const { email } = await registerCustomer('en');
    await requestReset(email);
    const { mail } = await resetMail(email);
    expect(mail.subject).toBe('Reset your OKPay password');
    expect(mail.text).toContain('spam folder');
    expect(mail.text).toContain('30 minutes');
  });

  it('ends every session of the customer after the reset', async () => {
    const { email, client } = await registerCustomer();
    expect((await client.get('/api/me')).status).toBe(200);
    await requestReset(email);
    const { token } = await resetMail(email);
    await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'Quiet-River-Stone-3' });
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('refuses a token after 30 minutes', async () => {
    const { email } = await registerCustomer();
    await requestReset(email);
    const { token } = await resetMail(email);
    clock.advance(31 * 60_000);
    const late = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'Quiet-River-Stone-4' });
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: { code: 'reset_token_invalid' } });
  });

  it('keeps the link usable when the new password is refused', async () => {
    const { email } = await registerCustomer();
    await requestReset(email);
    const { token } = await resetMail(email);
    const weak = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'password123' });
    expect(weak.body).toMatchObject({ error: { code: 'password_too_common' } });
    const good = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', { token, password: 'Solid-Maple-Bridge-5' });
    expect(good.status).toBe(200);
  });

  it('makes an earlier link worthless once a newer one is sent', async () => {
    const { email } = await registerCustomer();
    await requestReset(email);
    const first = await resetMail(email);
    await requestReset(email);
    const second = await resetMail(email, 1);
    expect(second.token).not.toBe(first.token);
    const old = await httpClient(runtime.app).post('/api/auth/password-reset/confirm', {
      token: first.token,
      password: 'Solid-Maple-Bridge-6',
    });
    expect(old.body).toMatchObject({ error: { code: 'reset_token_invalid' } });
  });

  it('answers an unknown email exactly like a known one, in similar time, and sends nothing', async () => {
    const { email } = await registerCustomer();
    const unknown = uniqueEmail('ghost');
    const time = async (address: string) => {
      const started = performance.now();
      const response = await requestReset(address);
      return { response, ms: performance.now() - started };
    };
    const known = await time(email);
    const missing = await time(unknown);
    expect(missing.response.status).toBe(known.response.status);
    expect(missing.response.body).toEqual(known.response.body);
    expect(Math.abs(known.ms - missing.ms)).toBeLessThan(150);
    await resetMail(email);
    expect(smtp.received.some((mail) => mail.to === unknown)).toBe(false);
  });

  it('has no development outbox when real SMTP is configured', async () => {
    expect((await runtime.app.inject('/dev/mail')).statusCode).toBe(404);
  });

  it('limits reset requests per account with 429 and Retry-After', async () => {
    const email = uniqueEmail('flood');
    const limit = runtime.deps.config.rateLimits.resetPerAccount;
    for (let attempt = 0; attempt < limit; attempt++) expect((await requestReset(email)).status).toBe(202);
    const refused = await requestReset(email);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
