import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { goodPassword, type HttpClient } from '../../test/http.js';
import { asUrlText, bentObject, hostileText, hostileValue, type JsonSchema, percentEncode, validValue } from '../../test/openapi-fuzz.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { newIdempotencyKey, signedInCustomer } from '../../test/wallet.js';

let runtime: Runtime;
let customer: HttpClient;
let admin: HttpClient;
/** Bearer or chat-token headers for each kind of credential an operation may ask for. */
let credentials: Record<'customer' | 'staff' | 'chat' | 'customerCookie', Record<string, string>>;
beforeAll(async () => {
  runtime = await startTestRuntime();
  const signedIn = await signedInCustomer(runtime);
  customer = signedIn.client;
  const staff = await signedInStaff(runtime, 'admin');
  admin = staff.client;
  const login = await runtime.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: signedIn.email, password: goodPassword },
  });
  const chat = await customer.post('/api/support/realtime-token');
  credentials = {
    customer: { authorization: `Bearer ${(login.json() as { token: string }).token}` },
    staff: { authorization: `Bearer ${staff.token}` },
    chat: { 'x-chat-token': (chat.body as { token: string }).token },
    // A session cookie without the CSRF header: reads work, changes are refused.
    customerCookie: { cookie: `okpay_session=${(login.json() as { token: string }).token}` },
  };
});
afterAll(() => runtime?.close());

type Parameter = {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
  examples?: Record<string, { value: unknown }>;
};
type Operation = {
  method: string;
  path: string;
  /** The path as documented, with `{name}` placeholders. */
  template: string;
  parameters: Parameter[];
  bodySchema: JsonSchema | undefined;
  /** Documented statuses: exact (`404`) or ranges (`4XX`). */
  statuses: string[];
  hasBody: boolean;
  required: string[];
  isPublic: boolean;
  /** Headers that sign the request in as whoever the operation is for. */
  signedIn: () => Record<string, string>;
};

/** Every documented route, read from the OpenAPI document, so new routes are covered automatically. */
function documentedOperations(): Operation[] {
  const document = runtime.app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          security?: Array<Record<string, string[]>>;
          parameters?: Parameter[];
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
          responses: Record<string, unknown>;
        }
      >
    >;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      // Path parameters get a value that no route accepts as an id.
      path: path.replace(/\{[^}]+\}/g, 'not-an-id'),
      template: path,
      parameters: operation.parameters ?? [],
      bodySchema: operation.requestBody?.content?.['application/json']?.schema,
      statuses: Object.keys(operation.responses),
      hasBody: Boolean(operation.requestBody),
      required: operation.requestBody?.content?.['application/json']?.schema?.required ?? [],
      // No requirement, or an empty one among the alternatives (credentials optional, as for the rating page's link token).
      isPublic:
        (operation.security ?? []).length === 0 || (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0),
      signedIn: () => {
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
        if (schemes.includes('staffSession')) return credentials.staff;
        if (schemes.includes('customerSession')) return credentials.customer;
        if (schemes.includes('chatToken')) return credentials.chat;
        return {};
      },
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
        headers: { ...operation.signedIn(), 'content-type': 'application/json' },
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
          headers: { ...operation.signedIn(), 'content-type': 'application/json' },
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
        headers: { ...operation.signedIn(), 'content-type': 'application/json' },
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

  it('answers a malformed URL and an over-long path parameter in the error shape', async () => {
    const long = await runtime.app.inject({ method: 'GET', url: `/api/wallet/transactions/${'a'.repeat(3000)}` });
    expectErrorShape(long, 414);
    expect(long.json()).toMatchObject({ error: { code: 'uri_too_long' } });
    const malformed = await runtime.app.inject({ method: 'GET', url: '/api/support/attachments/%E0%A4%A' });
    expectErrorShape(malformed, 400);
  });
});

describe('hostile input', () => {
  type Case = [label: string, client: () => HttpClient, method: string, url: string, body?: Record<string, unknown>];
  const transfer = (note: string) => ({ recipient: 'nobody@example.com', amount: 100, currency: 'CNY', note });

  it.each<Case>([
    ['a NUL in a display name', () => customer, 'PATCH', '/api/me', { displayName: 'a\u0000b' }],
    ['a lone surrogate in a transfer note', () => customer, 'POST', '/api/wallet/transfers', transfer('half \ud83d of a smile')],
    ['a trailing lone surrogate in a self-freeze note', () => customer, 'POST', '/api/wallet/security/freeze', { note: 'lost \udc00' }],
    ['a NUL in an inbox search', () => admin, 'GET', '/api/agent/conversations?q=a%00b'],
    ['a NUL in a canned-response search', () => admin, 'GET', '/api/agent/canned-responses?q=%00'],
    ['a NUL in a key', () => customer, 'PATCH', '/api/me', { 'display\u0000Name': 'x' }],
  ])('refuses %s with 400 invalid_text on that field', async (_label, client, method, url, body) => {
    const response = await client().request(method, url, { body, headers: { 'idempotency-key': newIdempotencyKey() } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'validation_failed', details: expect.arrayContaining([expect.objectContaining({ code: 'invalid_text' })]) },
    });
  });

  it('says what is wrong with the text in the caller’s language', async () => {
    const response = await customer.request('PATCH', '/api/me', {
      body: { displayName: 'a\u0000b' },
      headers: { 'accept-language': 'en' },
    });
    expect(response.body).toMatchObject({
      error: { details: [{ field: 'body.displayName', code: 'invalid_text', message: expect.stringContaining('NUL') }] },
    });
  });

  it.each<[string, () => HttpClient, string]>([
    ['year 0000 on the history', () => customer, '/api/wallet/transactions?from=0000-01-01'],
    ['year 0000 on the statement', () => customer, '/api/wallet/transactions.csv?from=0000-01-01'],
    ['a five-digit year', () => customer, '/api/wallet/transactions?to=10000-01-01'],
    ['a moment in year 0001', () => customer, '/api/wallet/transactions?from=0001-01-01T00:00:00Z'],
    ['February 30th', () => customer, '/api/wallet/transactions?from=2026-02-30'],
    ['year 0000 on the inbox', () => admin, '/api/agent/conversations?before=0000-01-01T00:00:00Z'],
    ['a day where the inbox wants a moment', () => admin, '/api/agent/conversations?before=2026-01-01'],
  ])('refuses %s with 400 validation_failed', async (_label, client, url) => {
    const response = await client().get(url, { 'accept-language': 'zh-CN' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed', details: [{ message: expect.stringContaining('1900') }] } });
  });

  it('accepts the last day a client can name', async () => {
    expect((await customer.get('/api/wallet/transactions?from=1900-01-01&to=9999-12-31')).status).toBe(200);
    expect((await customer.get('/api/wallet/transactions.csv?to=9999-12-31T23:59:59-12:00')).status).toBe(200);
  });

  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['a year-0 position', cursor({ at: '0000-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000' })],
    ['an id of dashes', cursor({ at: '2026-01-01T00:00:00Z', id: '------------------------------------' })],
    ['a truncated cursor', cursor({ at: '2026-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000' }).slice(0, 30)],
    ['extra fields', cursor({ at: '2026-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000', sql: 1 })],
    ['not base64 at all', '%%%%'],
  ])('refuses a forged cursor (%s) with 400 invalid_cursor', async (_label, value) => {
    const response = await customer.get(`/api/wallet/transactions?cursor=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid_cursor' } });
  });

  it.each([
    ['arrays', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
    ['objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['objects under a poisoned key', `{"constructor":${'{"constructor":'.repeat(3_000)}1${'}'.repeat(3_001)}`],
  ])('refuses deeply nested %s with 400 json_too_deep before parsing', async (_label, payload) => {
    const response = await customer.request('PATCH', '/api/me', { body: payload });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'json_too_deep' } });
  });

  it('still reads nesting a real request uses', async () => {
    const response = await admin.request('PATCH', `/api/agent/conversations/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, {
      body: { tags: ['refund', 'vip'] },
    });
    expect(response.status).toBe(404);
  });

  it('answers 401 before reading the body on every operation that needs credentials', async () => {
    const guarded = documentedOperations().filter((operation) => !operation.isPublic);
    expect(guarded.length).toBeGreaterThan(40);
    for (const operation of guarded) {
      const response = await runtime.app.inject({
        method: operation.method as 'POST',
        url: operation.path,
        headers: { 'content-type': 'application/json' },
        payload: operation.hasBody ? '{"not": json' : undefined,
      });
      expect(response.statusCode, `${operation.method} ${operation.path}`).toBe(401);
      expectErrorShape(response, 401);
    }
  });

  it('documents the public operations as public', () => {
    const publicOperations = documentedOperations()
      .filter((operation) => operation.isPublic)
      .map((operation) => `${operation.method} ${operation.path}`);
    expect(publicOperations).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/auth/register',
        'GET /api/support/status',
        'POST /api/support/visitor-token',
      ]),
    );
    expect(publicOperations).not.toContain('GET /api/me');
  });
});

describe('fuzzing every operation from its OpenAPI schema', () => {
  // FUZZ_RUNS=500 for a long local run; FUZZ_SEED to explore other inputs (a failure prints its seed).
  const runs = Number(process.env.FUZZ_RUNS ?? 8);
  const seed = Number(process.env.FUZZ_SEED ?? 20_260_301);
  // Signing out would end the session the other runs use; those operations are fuzzed signed out only.
  const endsTheSession = new Set(['POST /api/auth/logout', 'POST /api/agent/auth/logout']);

  type Caller = keyof typeof credentials | 'nobody' | 'forged';
  const callerHeaders = (caller: Caller): Record<string, string> =>
    caller === 'nobody' ? {} : caller === 'forged' ? { authorization: 'Bearer forged', 'x-chat-token': 'forged' } : credentials[caller];
  /** Who the operation is for: the caller whose request gets past authentication. */
  const rightCaller = (operation: Operation): Caller => {
    const signedIn = operation.signedIn();
    return (Object.entries(credentials).find(([, headers]) => headers === signedIn)?.[0] as Caller | undefined) ?? 'nobody';
  };

  type Fuzzed = {
    path: Array<readonly [string, string]>;
    query: Array<readonly [string, string]>;
    headers: Array<readonly [string, string]>;
    body: unknown;
    rawBody?: string;
    caller: Caller;
  };

  /** A request the operation accepts, as far as its schemas say, then exactly one thing about it bent. */
  function requestFor(operation: Operation) {
    const name = `${operation.method} ${operation.template}`;
    const of = (where: Parameter['in']) => operation.parameters.filter((parameter) => parameter.in === where);
    const schemaOf = (parameter: Parameter): JsonSchema =>
      parameter.examples
        ? { ...parameter.schema, examples: Object.values(parameter.examples).map((example) => example.value) }
        : parameter.schema;
    const pair = (parameter: Parameter) => validValue(schemaOf(parameter)).map((value) => [parameter.name, asUrlText(value)] as const);
    const headerPair = (parameter: Parameter) =>
      (parameter.name === 'idempotency-key' ? fc.uuid().map((id) => `fuzz-${id}`) : fc.stringMatching(/^[\w-]{1,40}$/)).map(
        (value) => [parameter.name, value] as const,
      );
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(operation.method);
    const valid = fc.record({
      path: fc.tuple(...of('path').map(pair)),
      query: fc.tuple(...of('query').map((parameter) => fc.option(pair(parameter), { freq: 2 }))),
      headers: fc.tuple(...of('header').map(headerPair)),
      body: hasBody && operation.bodySchema ? validValue(operation.bodySchema) : fc.constant(hasBody ? {} : undefined),
    });
    const callers: Caller[] = endsTheSession.has(name)
      ? ['nobody', 'forged']
      : ['nobody', 'forged', 'customer', 'staff', 'chat', 'customerCookie'];
    const own = endsTheSession.has(name) ? 'nobody' : rightCaller(operation);
    return valid.chain(({ path, query, headers, body }) => {
      const base: Fuzzed = {
        path: [...path],
        query: query.filter((entry): entry is readonly [string, string] => entry !== null),
        headers: [...headers],
        body,
        caller: own,
      };
      const bends: Array<fc.Arbitrary<Fuzzed>> = [
        fc.constant(base),
        fc.constantFrom(...callers).map((caller) => ({ ...base, caller })),
        hostileText.map((text) => ({ ...base, query: [...base.query, ['unexpected', text] as const] })),
      ];
      for (const [index, parameter] of of('path').entries()) {
        bends.push(
          hostileValue.map((value) => ({
            ...base,
            path: base.path.map((entry, at) => (at === index ? ([parameter.name, asUrlText(value)] as const) : entry)),
          })),
        );
      }
      for (const parameter of of('query')) {
        bends.push(
          hostileValue.map((value) => ({
            ...base,
            query: [...base.query.filter(([key]) => key !== parameter.name), [parameter.name, asUrlText(value)] as const],
          })),
        );
      }
      if (of('header').length > 0) {
        bends.push(
          fc
            .constantFrom('', ' ', 'x'.repeat(300), 'has spaces')
            .map((value) => ({ ...base, headers: base.headers.map(([key]) => [key, value] as const) })),
        );
      }
      if (hasBody) {
        bends.push(
          hostileValue.map((value) => ({ ...base, body: value })),
          hostileText.map((text) => ({ ...base, rawBody: text })),
        );
        if (operation.bodySchema?.properties) bends.push(bentObject(operation.bodySchema).map((value) => ({ ...base, body: value })));
      }
      return fc.oneof(...bends);
    });
  }

  function toInject(operation: Operation, request: Fuzzed) {
    let url = operation.template;
    for (const [parameter, value] of request.path) url = url.replace(`{${parameter}}`, percentEncode(value));
    const search = request.query.map(([key, value]) => `${key}=${percentEncode(value)}`).join('&');
    const headers: Record<string, string> = { ...callerHeaders(request.caller), ...Object.fromEntries(request.headers) };
    if (request.body !== undefined || request.rawBody !== undefined) headers['content-type'] = 'application/json';
    const payload = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    return { method: operation.method as 'GET', url: search ? `${url}?${search}` : url, headers, payload };
  }

  it('never answers 5xx, and refuses with a documented status in the error shape', async () => {
    const operations = documentedOperations();
    expect(operations.length).toBeGreaterThan(60);
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (fuzzed) => {
          const request = toInject(operation, fuzzed);
          const response = await runtime.app.inject(request);
          const where = `${request.method} ${request.url.slice(0, 200)} as ${JSON.stringify(request.headers).slice(0, 80)}: ${response.body.slice(0, 200)}`;
          expect(response.statusCode, where).toBeLessThan(500);
          const status = String(response.statusCode);
          expect(
            operation.statuses.includes(status) || operation.statuses.includes(`${status[0]}XX`),
            `undocumented ${status} for ${where}`,
          ).toBe(true);
          if (response.statusCode >= 400) {
            const body = response.json() as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code, where).toBe('string');
            expect(String(body.error?.message ?? '').length, where).toBeGreaterThan(0);
          }
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
    }
  }, 120_000);
});
