import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

type Operation = { method: string; path: string; hasBody: boolean; required: string[] };

/** Every documented route, read from the OpenAPI document, so new routes are covered automatically. */
function documentedOperations(): Operation[] {
  const document = runtime.app.swagger() as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> } }>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      // Path parameters get a value that no route accepts as an id.
      path: path.replace(/\{[^}]+\}/g, 'not-an-id'),
      hasBody: Boolean(operation.requestBody),
      required: operation.requestBody?.content?.['application/json']?.schema?.required ?? [],
    })),
  );
}

function expectErrorShape(response: { statusCode: number; json(): unknown }, status: number | 'client') {
  if (status === 'client') {
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  } else {
    expect(response.statusCode).toBe(status);
  }
  const body = response.json() as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect(String(body.error?.message).length).toBeGreaterThan(0);
}

describe('bad input on every route', () => {
  it('documents the routes it checks', () => {
    const paths = documentedOperations().map((operation) => `${operation.method} ${operation.path}`);
    expect(paths).toContain('POST /api/auth/register');
    expect(paths).toContain('POST /api/auth/password-reset/confirm');
    expect(paths).toContain('POST /api/agent/auth/login');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const operation of documentedOperations().filter((candidate) => candidate.hasBody)) {
      const response = await runtime.app.inject({
        method: operation.method as 'POST',
        url: operation.path,
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "a@b.c",',
      });
      expectErrorShape(response, 400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_json' } });
    }
  });

  it('answers wrong types, missing fields and unknown fields with 400 validation_failed', async () => {
    for (const operation of documentedOperations().filter((candidate) => candidate.hasBody)) {
      const send = (payload: unknown) =>
        runtime.app.inject({
          method: operation.method as 'POST',
          url: operation.path,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
      for (const payload of [[], 'text', 42, null, { unexpectedField: true }]) {
        const response = await send(payload);
        expectErrorShape(response, 400);
        expect(response.json(), `${operation.method} ${operation.path} ${JSON.stringify(payload)}`).toMatchObject({
          error: { code: expect.stringMatching(/^(validation_failed|invalid_json)$/) },
        });
      }
      if (operation.required.length > 0) {
        const missing = await send({});
        expectErrorShape(missing, 400);
        const wrongTypes = await send(Object.fromEntries(operation.required.map((field) => [field, { nested: [1, 2, 3] }])));
        expectErrorShape(wrongTypes, 400);
      }
    }
  });

  it('names each refused field with a reason in the caller’s language, without echoing what was sent', async () => {
    const register = (language: string) =>
      runtime.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'content-type': 'application/json', 'accept-language': language },
        payload: { email: 'not-an-email', password: 42, displayName: 'Wang', surprise: true },
      });
    type Refusal = { error: { code: string; message: string; details: Array<{ field: string; code: string; message: string }> } };
    const chinese = (await register('zh-CN')).json() as Refusal;
    expect(chinese.error.code).toBe('validation_failed');
    expect(chinese.error.message).toContain('请求内容有误');
    expect(chinese.error.details).toEqual(
      expect.arrayContaining([
        { field: 'body.email', code: 'invalid_format', message: '无效电子邮件' },
        { field: 'body.password', code: 'invalid_type', message: '无效输入：期望 string，实际接收 数字' },
        { field: 'body', code: 'unrecognized_keys', message: expect.stringContaining('"surprise"') },
      ]),
    );
    const english = (await register('en')).json() as Refusal;
    expect(english.error.details).toEqual(
      expect.arrayContaining([
        { field: 'body.password', code: 'invalid_type', message: 'Invalid input: expected string, received number' },
      ]),
    );
    expect(JSON.stringify(chinese)).not.toContain('not-an-email');
  });

  it('refuses oversized bodies with 413 and loses nothing', async () => {
    const huge = JSON.stringify({ email: 'a@b.cn', padding: 'x'.repeat(200_000) });
    for (const operation of documentedOperations().filter((candidate) => candidate.hasBody)) {
      const response = await runtime.app.inject({
        method: operation.method as 'POST',
        url: operation.path,
        headers: { 'content-type': 'application/json' },
        payload: huge,
      });
      expectErrorShape(response, 413);
    }
  });

  it('refuses bodies that are not JSON with 415', async () => {
    const response = await runtime.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expectErrorShape(response, 415);
  });

  it('never answers 5xx to garbage on any route, signed out or not', async () => {
    for (const operation of documentedOperations()) {
      const response = await runtime.app.inject({
        method: operation.method as 'GET',
        url: `${operation.path}?limit=-1&cursor=%00%ff&from=yesterday`,
        headers: { authorization: 'Bearer garbage', cookie: 'okpay_session=garbage; okpay_staff_session=%%%' },
      });
      expect(response.statusCode, `${operation.method} ${operation.path}`).toBeLessThan(500);
      if (response.statusCode >= 400) expectErrorShape(response, 'client');
    }
  });

  it('answers unknown API paths with 404 in the error shape', async () => {
    const response = await runtime.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expectErrorShape(response, 404);
  });
});
