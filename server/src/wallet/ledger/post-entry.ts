import type pg from 'pg';
import { sqlState } from '../../platform/db/errors.js';
import { WalletError } from '../wallet.errors.js';

export type Posting = { accountId: number; amount: number };

export type EntryInput = {
  kind: 'top_up' | 'transfer' | 'exchange' | 'reversal' | 'adjustment';
  reference?: string;
  metadata?: Record<string, unknown>;
  postings: Posting[];
};

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

const postStatement = {
  name: 'okpay_post_entry',
  text: 'SELECT okpay_post_entry($1, $2, $3, $4::bigint[], $5::bigint[]) AS id',
};

/**
 * Posts one balanced journal entry inside the caller's transaction (or, given the pool, as its own
 * single-statement transaction). The database function locks
 * accounts in id order and refuses overdrafts, frozen accounts and unbalanced entries, so the
 * rules hold for every caller, whatever it checked before.
 */
export async function postEntry(client: pg.PoolClient | pg.Pool, entry: EntryInput): Promise<number> {
  try {
    const result = await client.query<{ id: string }>({
      ...postStatement,
      values: [
        entry.kind,
        entry.reference ?? null,
        JSON.stringify(entry.metadata ?? {}),
        entry.postings.map((posting) => posting.accountId),
        entry.postings.map((posting) => posting.amount),
      ],
    });
    return Number(result.rows[0]?.id);
  } catch (error) {
    throw ledgerErrorFrom(error);
  }
}
