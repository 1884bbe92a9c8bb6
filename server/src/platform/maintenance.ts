import type pg from 'pg';
import type { Jobs } from './jobs.js';
import type { Logger } from './logger.js';

export type MaintenanceTask = { name: string; run(pool: pg.Pool): Promise<number> };

/** Housekeeping once an hour on one node: each task deletes what has outlived its retention. */
export async function scheduleMaintenance(deps: { jobs: Jobs; pool: pg.Pool; logger: Logger }, tasks: MaintenanceTask[]): Promise<void> {
  const queue = 'platform.maintenance';
  await deps.jobs.work<Record<string, never>>(queue, async () => {
    for (const task of tasks) {
      const removed = await task.run(deps.pool);
      if (removed > 0) deps.logger.info({ task: task.name, removed }, 'maintenance');
    }
  });
  await deps.jobs.schedule(queue, '17 * * * *');
}

/** Rate-limit counters whose window has passed. */
export const expiredRateLimits: MaintenanceTask = {
  name: 'expired-rate-limits',
  run: async (pool) => (await pool.query('DELETE FROM rate_limits WHERE expire < $1', [Date.now()])).rowCount ?? 0,
};
