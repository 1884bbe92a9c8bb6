import { lt } from 'drizzle-orm';
import type { Database, Queryable } from './db/client.js';
import type { Jobs } from './jobs.js';
import type { Logger } from './logger.js';
import { rateLimits } from './platform.tables.js';

export type MaintenanceTask = { name: string; run(db: Queryable): Promise<number> };

/** Housekeeping once an hour on one node: each task deletes what has outlived its retention. */
export async function scheduleMaintenance(deps: { jobs: Jobs; db: Database; logger: Logger }, tasks: MaintenanceTask[]): Promise<void> {
  const queue = 'platform.maintenance';
  await deps.jobs.schedule(queue, '17 * * * *', async () => {
    for (const task of tasks) {
      const removed = await task.run(deps.db);
      if (removed > 0) deps.logger.info({ task: task.name, removed }, 'maintenance');
    }
  });
}

/** Rate-limit counters whose window has passed. */
export const expiredRateLimits: MaintenanceTask = {
  name: 'expired-rate-limits',
  run: async (db) => (await db.delete(rateLimits).where(lt(rateLimits.expire, Date.now()))).rowCount ?? 0,
};
