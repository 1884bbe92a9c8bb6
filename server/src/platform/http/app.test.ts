import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { loadConfig } from '../config.js';
import { installErrorHandling } from './error-handler.js';
import { installMetrics } from './metrics.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('operations endpoints', () => {
  it('reports the process up at /healthz and the database reachable at /readyz', async () => {
    expect((await runtime.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await runtime.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics including request counts', async () => {
    await runtime.app.inject('/healthz');
    const metrics = await runtime.app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('okpay_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(metrics.body).toContain('okpay_process_resident_memory_bytes');
    // Declared even before any batch (a node that has written nothing yet still exposes it).
    expect(metrics.body).toContain('# TYPE okpay_group_commit_batch_size histogram');
  });

  it('serves metrics only to a scraper with METRICS_TOKEN when one is set', async () => {
    const guarded = await startTestRuntime({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const anonymous = await guarded.app.inject('/metrics');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      const wrong = await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456788' } });
      expect(wrong.statusCode).toBe(401);
      const scraper = await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
      expect(scraper.statusCode).toBe(200);
      expect(scraper.body).toContain('okpay_http_requests_total');
    } finally {
      await guarded.close();
    }
  });

  it('does not serve metrics in production without METRICS_TOKEN', async () => {
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: '/tmp/okpay-metrics-test',
      SESSION_SECRET: 'x'.repeat(40),
      CARD_FINGERPRINT_SECRET: 'y'.repeat(40),
      DOCUMENT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      ACQUIRER: 'sandbox',
    };
    expect(loadConfig(production).metrics).toEqual({ access: 'off' });
    expect(loadConfig({ ...production, METRICS_TOKEN: 'scrape-token-0123456789' }).metrics).toEqual({
      access: 'token',
      token: 'scrape-token-0123456789',
    });
    const app = Fastify();
    installErrorHandling(app);
    installMetrics(app, { access: 'off' });
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    await app.close();
  });

  it('publishes the OpenAPI document and its docs page', async () => {
    const document = (await runtime.app.inject('/api/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/agent/me']));
    const docs = await runtime.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('gives every response a request id and honours a sane one from the caller', async () => {
    const generated = await runtime.app.inject('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await runtime.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-12345678' } });
    expect(given.headers['x-request-id']).toBe('trace-12345678');
    const hostile = await runtime.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(hostile.headers['x-request-id']).not.toBe('<script>');
  });

  it('sends security headers', async () => {
    const response = await runtime.app.inject('/healthz');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBeDefined();
  });

  it('shows outgoing mail at /dev/mail when no SMTP server is configured', async () => {
    await runtime.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'outbox.reader@example.com', password: 'Blue-Harbour-Kite-42', displayName: 'Reader' },
    });
    let page = '';
    for (let attempt = 0; attempt < 50 && !page.includes('outbox.reader@example.com'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = (await runtime.app.inject('/dev/mail')).body;
    }
    expect(page).toContain('outbox.reader@example.com');
    expect(page).toContain('请验证您的 OKPay 邮箱');
  });
});
