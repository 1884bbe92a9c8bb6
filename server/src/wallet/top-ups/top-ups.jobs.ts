import type { WalletDeps } from '../wallet-deps.js';
import { reconcileTopUps } from './reconcile-top-ups.js';

export const reconcileTopUpsQueue = 'wallet.reconcile-top-ups';

/** Asks the bank about stuck top-ups every minute, on one node at a time (pg-boss cron). */
export async function scheduleTopUpReconciliation(deps: WalletDeps): Promise<void> {
  await deps.jobs.schedule(reconcileTopUpsQueue, '* * * * *', async () => {
    const summary = await reconcileTopUps(deps);
    if (summary.checked + summary.refunded + summary.notCharged + summary.stillOwed > 0) deps.logger.info(summary, 'reconciled top-ups');
  });
}
