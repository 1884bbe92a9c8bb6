import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.js';
import { PlatformError } from '../errors.js';

/** /healthz: the process answers. /readyz: and the database does too, within a second. */
export function installHealthChecks(app: FastifyInstance, db: Database): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref());
    try {
      await Promise.race([db.execute(sql`select 1`), timeout]);
    } catch {
      throw PlatformError('service_unavailable');
    }
    return { status: 'ready' };
  });
}
