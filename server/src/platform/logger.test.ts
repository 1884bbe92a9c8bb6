import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import { goodPassword } from '../test/http.js';
import { connect, createChatCustomer, listen } from '../test/realtime.js';
import { startTestRuntime } from '../test/runtime.js';
import { redactUrl } from './logger.js';

const lines: string[] = [];
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ env: { LOG_LEVEL: 'trace' }, logDestination: { write: (line) => void lines.push(line) } });
});
afterAll(() => runtime?.close());

describe('what reaches the log, even at trace level', () => {
  it('keeps tokens, passwords, cookies and link signatures out of every line', async () => {
    const baseUrl = await listen(runtime);
    const customer = await createChatCustomer(runtime);
    const login = await runtime.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: customer.email, password: goodPassword },
    });
    const { token: session, csrfToken } = login.json() as { token: string; csrfToken: string };
    const resetToken = 'reset-token-0123456789abcdefghijklmnop';
    const verifyToken = 'verify-token-0123456789abcdefghijklmnop';

    await runtime.app.inject({ method: 'GET', url: `/reset-password?token=${resetToken}` });
    await runtime.app.inject({ method: 'GET', url: `/verify-email?lang=zh&token=${verifyToken}` });
    await runtime.app.inject({
      method: 'GET',
      url: `/api/support/attachments/00000000-0000-4000-8000-000000000000?token=${customer.token}`,
    });
    await runtime.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${session}` } });
    await runtime.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie: `okpay_session=${session}`, 'x-csrf-token': csrfToken },
      payload: { displayName: 'x' },
    });
    await runtime.app.inject({ method: 'GET', url: '/api/support/conversations', headers: { 'x-chat-token': customer.token } });
    await runtime.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: customer.email, password: `${goodPassword}-wrong` },
    });
    await runtime.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token: resetToken, password: goodPassword },
    });
    const link = runtime.app.inject({
      method: 'GET',
      url: '/api/support/attachments/00000000-0000-4000-8000-000000000000?expires=1&signature=sig-0123456789abcdef',
    });
    await link;
    const socket = await connect(baseUrl, customer.token);
    socket.disconnect();

    expect(lines.length).toBeGreaterThan(10);
    const log = lines.join('');
    for (const secret of [resetToken, verifyToken, customer.token, session, csrfToken, goodPassword, 'sig-0123456789abcdef']) {
      expect(log, `a log line holds ${secret.slice(0, 12)}…`).not.toContain(secret);
    }
    expect(log).toContain('/reset-password?token=[redacted]');
    expect(log).toContain('/verify-email?lang=zh&token=[redacted]');
  });

  it.each([
    ['/reset-password?token=abc', '/reset-password?token=[redacted]'],
    ['/x?a=1&Signature=abc&expires=9', '/x?a=1&Signature=[redacted]&expires=9'],
    ['/x?%74oken=abc', '/x?%74oken=[redacted]'],
    ['/x?tokens=abc&token', '/x?tokens=abc&token'],
    ['/x', '/x'],
  ])('redacts credentials from %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
