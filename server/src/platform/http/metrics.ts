import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import { PlatformError } from '../errors.js';

export type Metrics = { registry: Registry };

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry behind /metrics, for parts of the node outside HTTP (the event dispatcher). */
    metrics: Metrics;
  }
}

function hasToken(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  const given = Buffer.from(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Prometheus text at /metrics: process metrics plus request counts and latency by route. Route
 * names, load and memory help an attacker too, so production serves them only to a scraper with
 * METRICS_TOKEN, and not at all without one.
 */
export function installMetrics(app: FastifyInstance, access: Config['metrics']): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'okpay_' });
  const requests = new Counter({
    name: 'okpay_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'okpay_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (access.access === 'off') throw PlatformError('not_found');
    if (access.access === 'token' && !hasToken(request, access.token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw PlatformError('unauthenticated');
    }
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
  const metrics = { registry };
  app.decorate('metrics', metrics);
  return metrics;
}
