import { type Database, withTransaction } from '../../platform/index.js';
import { countLedger, findLedgerViolations, ledgerChecks, listSystemAccountTotals } from './ledger.repository.js';

export type LedgerProblem = { check: string; detail: Record<string, unknown> };
export type LedgerReport = {
  isHealthy: boolean;
  accounts: number;
  entries: number;
  postings: number;
  problems: LedgerProblem[];
  /** Each system account's one balance per currency (acquirer clearing's sub-accounts added up). */
  systemAccounts: Awaited<ReturnType<typeof listSystemAccountTotals>>;
};

/**
 * Recomputes every balance from the journal and checks the double-entry invariants. Runs in one
 * repeatable-read snapshot so concurrent postings cannot make a healthy ledger look broken.
 */
export async function verifyLedger(db: Database, limitPerCheck = 20): Promise<LedgerReport> {
  return withTransaction(
    db.$client,
    async (tx) => {
      const problems: LedgerProblem[] = [];
      for (const { check } of ledgerChecks) {
        for (const detail of await findLedgerViolations(tx, check, limitPerCheck)) problems.push({ check, detail });
      }
      return { isHealthy: problems.length === 0, ...(await countLedger(tx)), problems, systemAccounts: await listSystemAccountTotals(tx) };
    },
    { isSnapshot: true },
  );
}
