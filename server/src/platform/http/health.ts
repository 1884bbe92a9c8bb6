import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.js';
import { PlatformError } from '../errors.js';
import { within } from '../within.js';
import { sendError } from './error-handler.js';

/** Longest /readyz waits for the database before answering 503. */
const readyTimeoutMs = 1_000;

/**
 * /healthz: the process answers. /readyz: and the database does too, within a second, so a load
 * balancer stops sending work here promptly while the database is away (even when connecting
 * hangs). Probes arriving while one is in flight share it rather than pile up connection attempts.
 */
export function installHealthChecks(app: FastifyInstance, db: Database): void {
  let probe: Promise<boolean> | undefined;
  const isDatabaseReady = () => {
    probe ??= (async () => {
      const answered = db.execute(sql`select 1`).then(
        () => true,
        () => false,
      );
      try {
        return await within(answered, readyTimeoutMs, false);
      } finally {
        probe = undefined;
      }
    })();
    return probe;
  };
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    // Answered here rather than thrown: a load balancer probing every second is not an error to log.
    if (!(await isDatabaseReady())) return sendError(request, reply, PlatformError('service_unavailable'));
    return { status: 'ready' };
  });
}
