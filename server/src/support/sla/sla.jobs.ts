import type { SupportDeps } from '../support-deps.js';
import { evaluateSla } from './evaluate-sla.js';

export const evaluateSlaQueue = 'support.sla-evaluate';

/** Breaches and warnings every minute, on one node at a time (pg-boss cron). */
export async function scheduleSlaEvaluation(deps: SupportDeps): Promise<void> {
  await deps.jobs.schedule(evaluateSlaQueue, '* * * * *', async () => {
    const summary = await evaluateSla(deps);
    if (summary.breached + summary.warned + summary.rescheduled > 0) deps.logger.info(summary, 'evaluated SLA clocks');
  });
}
