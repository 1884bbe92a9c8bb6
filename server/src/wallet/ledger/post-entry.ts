import { type Queryable, sqlState } from '../../platform/index.js';
import { WalletError } from '../wallet.errors.js';
import { type EntryInput, insertJournalEntry } from './ledger.repository.js';

export type { EntryInput, Posting } from './ledger.repository.js';

/** Thrown when an entry touches a frozen account; carries whose, so callers can tell sender from recipient. */
export class FrozenAccountError extends Error {
  constructor(
    readonly accountId: number,
    readonly customerId: string | undefined,
  ) {
    super(`account ${accountId} is frozen`);
  }
}

/** Maps the ledger's SQLSTATEs (raised by okpay_post_entry and the functions built on it) to errors. */
export function ledgerErrorFrom(error: unknown): unknown {
  switch (sqlState(error)) {
    // The no-overdraft CHECK on ledger_accounts is a last line behind the function's own test.
    case 'OKP01':
    case '23514':
      return WalletError('insufficient_funds');
    case 'OKP02': {
      const match = /account (\d+) of customer ([0-9a-f-]{36})/.exec(String((error as Error).message));
      return new FrozenAccountError(Number(match?.[1]), match?.[2]);
    }
    case 'OKP03':
    case 'OKP05':
      return WalletError('ledger_unbalanced');
    default:
      return error;
  }
}

/**
 * Posts one balanced journal entry inside the caller's transaction (or, given the pool, as its own
 * single-statement transaction). The database function locks accounts in id order and refuses
 * overdrafts, frozen accounts and unbalanced entries, so the rules hold for every caller, whatever
 * it checked before.
 */
export async function postEntry(db: Queryable, entry: EntryInput): Promise<number> {
  try {
    return await insertJournalEntry(db, entry);
  } catch (error) {
    throw ledgerErrorFrom(error);
  }
}
