import type { CurrencyCode } from '@okpay/contracts';
import { and, asc, count, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { type Queryable, rowFrom } from '../../platform/index.js';
import { cards } from '../cards/cards.tables.js';
import { idempotencyKeys } from '../idempotency/idempotency.tables.js';
import { type RefundStatus, topUps } from './top-ups.tables.js';

export type TopUpRow = typeof topUps.$inferSelect;
/** A top-up with the card it was charged to, as its owner and reconciliation read it. */
export type TopUpWithCard = { topUp: TopUpRow; card: { brand: (typeof cards.$inferSelect)['brand']; last4: string } };

/**
 * Records a pending top-up and its history row in one call (okpay_begin_top_up, a prepared
 * statement), with the request's claim on its Idempotency-Key: claimed now when `requestHash` is
 * given (undefined when the key is already taken), or proven still held by `token`. Raises OKP02
 * (the customer is frozen) and OKP22 (the claim is no longer held).
 */
export async function insertPendingTopUp(
  db: Queryable,
  input: {
    customerId: string;
    card: { id: string; last4: string; brand: string };
    amount: number;
    currency: CurrencyCode;
    at: Date;
    idempotencyKey: string | null;
    /** With `requestHash` the key is claimed now; with only `token` it was claimed before and must still be held. */
    claim?: { token: string; requestHash?: string };
  },
): Promise<TopUpRow | undefined> {
  const result = await db.$client.query<Record<string, unknown>>({
    name: 'okpay_begin_top_up',
    text: 'SELECT * FROM okpay_begin_top_up($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    values: [
      input.customerId,
      input.card.id,
      input.amount,
      input.currency,
      input.at,
      input.card.last4,
      input.card.brand,
      input.idempotencyKey,
      input.claim?.requestHash ?? null,
      input.claim?.token ?? null,
    ],
  });
  const raw = result.rows[0];
  return raw ? rowFrom(topUps, raw) : undefined;
}

export type SettleOutcome = 'settled' | 'already_final' | 'account_frozen';

/**
 * Credits a charged top-up in one call (okpay_settle_top_up, a prepared statement): the pending
 * top-up claimed, the customer's account checked for a freeze, the entry from a free acquirer-
 * clearing sub-account, the top-up and history row completed, the outbox event, and with `answer`
 * the request's answer stored under its key. `requireVerified` raises OKP20 before anything is
 * written when the customer's identity is not verified.
 */
export async function settlePendingTopUp(
  db: Queryable,
  input: {
    topUpId: string;
    acquirerReference: string;
    at: Date;
    requireVerified: boolean;
    answer?: { key: string; status: number; body: unknown };
  },
): Promise<{ outcome: SettleOutcome; customerId: string | null; journalEntryId: number | null }> {
  const result = await db.$client.query<{ outcome: SettleOutcome; customer_id: string | null; journal_entry_id: string | null }>({
    name: 'okpay_settle_top_up',
    text: 'SELECT * FROM okpay_settle_top_up($1, $2, $3, $4, $5, $6, $7)',
    values: [
      input.topUpId,
      input.acquirerReference,
      input.at,
      input.requireVerified,
      input.answer?.key ?? null,
      input.answer?.status ?? null,
      input.answer ? JSON.stringify(input.answer.body) : null,
    ],
  });
  const row = result.rows[0];
  if (!row) throw new Error('okpay_settle_top_up returned nothing');
  return {
    outcome: row.outcome,
    customerId: row.customer_id,
    journalEntryId: row.journal_entry_id === null ? null : Number(row.journal_entry_id),
  };
}

/** The top-up and its card; with `customerId`, only if it is that customer's. */
export async function findTopUpWithCard(db: Queryable, topUpId: string, customerId?: string): Promise<TopUpWithCard | undefined> {
  const [row] = await db
    .select({ topUp: topUps, card: { brand: cards.brand, last4: cards.last4 } })
    .from(topUps)
    .innerJoin(cards, eq(cards.id, topUps.cardId))
    .where(and(eq(topUps.id, topUpId), customerId === undefined ? undefined : eq(topUps.customerId, customerId)));
  return row;
}

/**
 * The top-up started under the customer's Idempotency-Key while the key is kept (a key reused after
 * the retention window starts afresh, so older top-ups with the same key do not count).
 */
export async function findTopUpOfKey(db: Queryable, customerId: string, key: string): Promise<TopUpWithCard | undefined> {
  const [row] = await db
    .select({ topUp: topUps, card: { brand: cards.brand, last4: cards.last4 } })
    .from(topUps)
    .innerJoin(cards, eq(cards.id, topUps.cardId))
    .innerJoin(idempotencyKeys, and(eq(idempotencyKeys.customerId, topUps.customerId), eq(idempotencyKeys.key, topUps.idempotencyKey)))
    .where(and(eq(topUps.customerId, customerId), eq(topUps.idempotencyKey, key), gte(topUps.createdAt, idempotencyKeys.createdAt)))
    .orderBy(desc(topUps.createdAt))
    .limit(1);
  return row;
}

/** Moves a pending top-up to failed; undefined when it is no longer pending (guarded like settling). */
export async function claimTopUpFailed(
  db: Queryable,
  topUpId: string,
  input: { failureCode: string; failureCodePublic: string; acquirerReference: string | null; at: Date },
): Promise<TopUpRow | undefined> {
  const [row] = await db
    .update(topUps)
    .set({
      status: 'failed',
      failureCode: input.failureCode,
      failureCodePublic: input.failureCodePublic,
      acquirerReference: input.acquirerReference,
      completedAt: input.at,
      lastError: null,
    })
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, 'pending')))
    .returning();
  return row;
}

/** The bank's answer is still unknown: remember why, and tell the customer it is with the bank. */
export async function markTopUpAwaitingBank(db: Queryable, topUpId: string, lastError: string): Promise<void> {
  await db
    .update(topUps)
    .set({ lastError, failureCodePublic: 'awaiting_bank' })
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, 'pending')));
}

export async function findFailedTopUp(db: Queryable, topUpId: string): Promise<TopUpRow | undefined> {
  const [row] = await db
    .select()
    .from(topUps)
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, 'failed')));
  return row;
}

/** Marks a failed top-up's money as owed back to the card; false when it was already marked (or is not failed). */
export async function markTopUpRefundOwed(db: Queryable, topUpId: string): Promise<boolean> {
  const marked = await db
    .update(topUps)
    .set({ refundStatus: 'pending' })
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, 'failed'), sql`${topUps.refundStatus} IS NULL`))
    .returning({ id: topUps.id });
  return marked.length > 0;
}

/** Records the bank's answer to a refund once; false when another run recorded it first. */
export async function recordTopUpRefund(
  db: Queryable,
  topUpId: string,
  input: { status: Exclude<RefundStatus, 'pending'>; reference: string | null; at: Date | null },
): Promise<boolean> {
  const recorded = await db
    .update(topUps)
    .set({ refundStatus: input.status, refundReference: input.reference, refundedAt: input.at })
    .where(and(eq(topUps.id, topUpId), eq(topUps.refundStatus, 'pending')))
    .returning({ id: topUps.id });
  return recorded.length > 0;
}

/** Top-ups still pending that were started at or before `cutoff`, oldest first. */
export async function listPendingTopUpIds(db: Queryable, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: topUps.id })
    .from(topUps)
    .where(and(eq(topUps.status, 'pending'), lte(topUps.createdAt, cutoff)))
    .orderBy(asc(topUps.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function countTopUpAttempt(db: Queryable, topUpId: string): Promise<void> {
  await db
    .update(topUps)
    .set({ attempts: sql`${topUps.attempts} + 1` })
    .where(eq(topUps.id, topUpId));
}

export async function listTopUpsOwedRefunds(db: Queryable, limit: number): Promise<TopUpRow[]> {
  return db.select().from(topUps).where(eq(topUps.refundStatus, 'pending')).orderBy(asc(topUps.createdAt)).limit(limit);
}

/** How many of the customer's top-ups failed since `since` (card testing shows up as many in a row). */
export async function countFailedTopUpsSince(db: Queryable, customerId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(topUps)
    .where(and(eq(topUps.customerId, customerId), eq(topUps.status, 'failed'), gte(topUps.createdAt, since)));
  return row?.n ?? 0;
}
