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

/** Thrown when an entry touches a frozen account; carries which one so callers can tell sender from recipient. */
export class FrozenAccountError extends Error {
  constructor(readonly accountId: number) {
    super(`account ${accountId} is frozen`);
  }
}

const postStatement = {
  name: 'okpay_post_entry',
  text: 'SELECT okpay_post_entry($1, $2, $3, $4::bigint[], $5::bigint[]) AS id',
};

/**
 * Posts one balanced journal entry inside the caller's transaction. The database function locks
 * accounts in id order and refuses overdrafts, frozen accounts and unbalanced entries, so the
 * rules hold for every caller, whatever it checked before.
 */
export async function postEntry(client: pg.PoolClient, entry: EntryInput): Promise<number> {
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
    switch (sqlState(error)) {
      // The no-overdraft CHECK on ledger_accounts fires before the function's own test.
      case 'OKP01':
      case '23514':
        throw WalletError('insufficient_funds');
      case 'OKP02': {
        const accountId = Number(/account (\d+)/.exec(String((error as Error).message))?.[1]);
        throw new FrozenAccountError(accountId);
      }
      case 'OKP03':
      case 'OKP05':
        throw WalletError('ledger_unbalanced');
      default:
        throw error;
    }
  }
}
