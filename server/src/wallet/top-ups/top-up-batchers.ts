import { createGroupCommit, type GroupCommit } from '../../platform/index.js';
import { startedAt, type TopUpDeps } from './create-top-up.js';
import {
  type CreditOutcome,
  insertPendingTopUps,
  type StartOutcome,
  settlePendingTopUps,
  type TopUpToCredit,
  type TopUpToStart,
} from './top-ups.repository.js';

/** The node's group commits for top-ups: their first phase, and the credit of those the bank charged. */
export type TopUpBatchers = { start: GroupCommit<TopUpToStart, StartOutcome>; credit: GroupCommit<TopUpToCredit, CreditOutcome> };

/**
 * Concurrent top-ups go to the database as batches at both ends of the bank call (see
 * createGroupCommit). A batch refused as a whole is sent again one top-up at a time: a first phase
 * that did commit then finds its key taken (its request answers from the key the long way), and a
 * credit that did commit finds its top-up no longer pending.
 */
export function createTopUpBatchers(deps: Pick<TopUpDeps, 'db' | 'clock' | 'config' | 'logger'>): TopUpBatchers {
  return {
    start: createGroupCommit({
      name: 'top-up start',
      logger: deps.logger,
      commit: (topUps: TopUpToStart[]) => insertPendingTopUps(deps.db, topUps, startedAt(deps)),
    }),
    credit: createGroupCommit({
      name: 'top-up credit',
      logger: deps.logger,
      // Only verified customers: an unverified one is credited with the inflow rule, in a transaction of its own.
      commit: (credits: TopUpToCredit[]) => settlePendingTopUps(deps.db, credits, { requireVerified: true }),
    }),
  };
}
