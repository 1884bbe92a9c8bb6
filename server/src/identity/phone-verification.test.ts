import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/index.js';
import type { Runtime } from '../runtime.js';
import { startTestRuntime } from '../test/runtime.js';
import { signedInCustomer } from '../test/wallet.js';
import { findCustomerByVerifiedPhone } from './identity.repository.js';

const clock = fixedClock('2026-04-08T10:00:00+08:00');
const lines: string[] = [];
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock, env: { LOG_LEVEL: 'info' }, logDestination: { write: (line) => void lines.push(line) } });
});
afterAll(() => runtime?.close());

/** The code the development SMS provider wrote to the log for this number. */
function textedCode(phone: string): string {
  const texts = lines.map((line) => JSON.parse(line)).filter((entry) => entry.sms?.to === phone);
  const match = /(\d{6})/.exec(texts[texts.length - 1]?.sms.text ?? '');
  if (!match?.[1]) throw new Error(`no code was texted to ${phone}`);
  return match[1];
}

describe('adding and verifying a phone number', () => {
  it('texts a code through the SMS provider and makes the number the account’s, verified, when it comes back', async () => {
    clock.set('2026-04-08T10:00:00+08:00');
    const customer = await signedInCustomer(runtime, { phone: '13700000009' });
    const sent = await customer.client.post('/api/me/phone', { phone: '+86 139 1234 5678' });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ phone: '+8613912345678', expiresAt: '2026-04-08T02:10:00.000Z' });
    const code = textedCode('+8613912345678');
    expect(lines.some((line) => line.includes(`您的验证码是 ${code}`))).toBe(true);
    // Not verified until the code comes back: a caller on it is nobody yet.
    expect(await findCustomerByVerifiedPhone(runtime.deps.db, '+8613912345678')).toBeUndefined();

    const wrong = await customer.client.post('/api/me/phone/verify', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'phone_code_invalid' } } });
    const verified = await customer.client.post('/api/me/phone/verify', { code });
    expect(verified.status).toBe(200);
    expect(verified.body.customer).toMatchObject({ phone: '+8613912345678', phoneVerified: true });
    expect((await findCustomerByVerifiedPhone(runtime.deps.db, '+8613912345678'))?.id).toBe(customer.id);
    // Used once.
    expect((await customer.client.post('/api/me/phone/verify', { code })).body).toMatchObject({ error: { code: 'phone_code_expired' } });
  });

  it.each([
    ['13800138000', 'phone_number_invalid'],
    ['+8612800138000', 'phone_mobile_invalid'],
  ])('refuses %s with %s', async (phone, code) => {
    const customer = await signedInCustomer(runtime);
    const answer = await customer.client.post('/api/me/phone', { phone });
    expect(answer).toMatchObject({ status: 400, body: { error: { code } } });
  });

  it('sends one code a minute, lets a code expire after 10 minutes, and stops after five wrong answers', async () => {
    clock.set('2026-04-08T11:00:00+08:00');
    const customer = await signedInCustomer(runtime);
    expect((await customer.client.post('/api/me/phone', { phone: '+8613600000001' })).status).toBe(202);
    const again = await customer.client.post('/api/me/phone', { phone: '+8613600000001' });
    expect(again).toMatchObject({ status: 429, body: { error: { code: 'phone_code_too_soon' } } });
    clock.set('2026-04-08T11:10:01+08:00');
    expect((await customer.client.post('/api/me/phone/verify', { code: textedCode('+8613600000001') })).body).toMatchObject({
      error: { code: 'phone_code_expired' },
    });
    expect((await customer.client.post('/api/me/phone', { phone: '+8613600000001' })).status).toBe(202);
    const code = textedCode('+8613600000001');
    const wrongCode = code === '123456' ? '654321' : '123456';
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await customer.client.post('/api/me/phone/verify', { code: wrongCode })).body.error.code).toBe('phone_code_invalid');
    }
    expect((await customer.client.post('/api/me/phone/verify', { code: wrongCode })).body.error.code).toBe('phone_code_expired');
    expect((await customer.client.post('/api/me/phone/verify', { code })).body.error.code).toBe('phone_code_expired');
  });

  it('refuses a number another account has', async () => {
    clock.set('2026-04-08T12:00:00+08:00');
    await signedInCustomer(runtime, { phone: '13500000002' });
    const customer = await signedInCustomer(runtime);
    const taken = await customer.client.post('/api/me/phone', { phone: '+8613500000002' });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'phone_taken' } } });
  });
});
