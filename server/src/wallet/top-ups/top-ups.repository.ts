import type { CurrencyCode } from '@okpay/contracts';
import { and, asc, count, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { type Queryable, rowFrom } from '../../platform/index.js';
import type { CardRow } from '../cards/cards.repository.js';
import { cards } from '../cards/cards.tables.js';
import { idempotencyKeys } from '../idempotency/idempotency.tables.js';
import { type RefundStatus, topUps } from './top-ups.tables.js';

export type TopUpRow = typeof topUps.$inferSelect;
/** A top-up with the card it was charged to, as its owner and reconciliation read it. */
export type TopUpWithCard = { topUp: TopUpRow; card: { brand: (typeof cards.$inferSelect)['brand']; last4: string } };

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

/** A top-up to record as pending, its id chosen by the caller; its card is checked in the same call. */
export type TopUpToStart = {
  id: string;
  customerId: string;
  cardId: string;
  amount: number;
  currency: CurrencyCode;
  idempotencyKey: string | null;
  /** With `requestHash` the key is claimed now; with only `token` it was claimed before and must still be held. */
  claim?: { token: string; requestHash?: string };
};

/** 'card_refused': the card is not the customer's, removed or expired; nothing written, no key claimed. */
export type StartOutcome =
  | { outcome: 'started'; topUp: TopUpRow; card: CardRow }
  | { outcome: 'key_taken' | 'account_frozen' | 'claim_lost' | 'card_refused' };

/**
 * Records many pending top-ups and their history rows in one call (okpay_begin_top_ups, a
 * prepared statement), each card checked (the customer's, active, not expired in `month`, see
 * monthNumber) and each with its request's claim on its Idempotency-Key; one outcome per top-up,
 * in order (see migrations 0033 and 0044).
 */
export async function insertPendingTopUps(db: Queryable, items: TopUpToStart[], at: { at: Date; month: number }): Promise<StartOutcome[]> {
  const result = await db.$client.query<{
    outcome: StartOutcome['outcome'];
    top_up: Record<string, unknown> | null;
    card: Record<string, unknown> | null;
  }>({
    name: 'okpay_begin_top_ups',
    text: 'SELECT * FROM okpay_begin_top_ups($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6, $7, $8::text[], $9::text[], $10::uuid[])',
    values: [
      items.map((item) => item.id),
      items.map((item) => item.customerId),
      items.map((item) => item.cardId),
      items.map((item) => item.amount),
      items.map((item) => item.currency),
      at.at,
      at.month,
      items.map((item) => item.idempotencyKey),
      items.map((item) => item.claim?.requestHash ?? null),
      items.map((item) => item.claim?.token ?? null),
    ],
  });
  if (result.rows.length !== items.length) throw new Error(`okpay_begin_top_ups answered ${result.rows.length} of ${items.length}`);
  return result.rows.map((row) =>
    row.outcome === 'started' && row.top_up && row.card
      ? { outcome: 'started', topUp: rowFrom(topUps, row.top_up), card: rowFrom(cards, row.card) }
      : { outcome: row.outcome as Exclude<StartOutcome['outcome'], 'started'> },
  );
}

/** A charged top-up to credit; with `answer`, its request's answer to store under the key. */
export type TopUpToCredit = {
  topUpId: string;
  acquirerReference: string;
  at: Date;
  answer?: { key: string; status: number; body: unknown };
};

export type SettleOutcome = 'settled' | 'already_final' | 'account_frozen' | 'unverified';
export type CreditOutcome = { outcome: SettleOutcome; customerId: string | null; journalEntryId: number | null };

/**
 * Credits many charged top-ups in one call (okpay_settle_top_ups, a prepared statement): each
 * pending top-up claimed, the customers' accounts checked for a freeze, the entries from acquirer-
 * clearing sub-accounts no other transaction holds, the top-ups and history rows completed, the
 * outbox events and the answers stored. With `requireVerified`, a customer whose identity is not
 * verified is left for the caller ('unverified'). One outcome per top-up, in order.
 */
export async function settlePendingTopUps(
  db: Queryable,
  credits: TopUpToCredit[],
  options: { requireVerified: boolean },
): Promise<CreditOutcome[]> {
  const result = await db.$client.query<{ outcome: SettleOutcome; customer_id: string | null; journal_entry_id: string | null }>({
    name: 'okpay_settle_top_ups',
    text: 'SELECT * FROM okpay_settle_top_ups($1::uuid[], $2::text[], $3::timestamptz[], $4, $5::text[], $6::int[], $7::jsonb[])',
    values: [
      credits.map((credit) => credit.topUpId),
      credits.map((credit) => credit.acquirerReference),
      credits.map((credit) => credit.at),
      options.requireVerified,
      credits.map((credit) => credit.answer?.key ?? null),
      credits.map((credit) => credit.answer?.status ?? null),
      credits.map((credit) => (credit.answer ? JSON.stringify(credit.answer.body) : null)),
    ],
  });
  if (result.rows.length !== credits.length) throw new Error(`okpay_settle_top_ups answered ${result.rows.length} of ${credits.length}`);
  return result.rows.map((row) => ({
    outcome: row.outcome,
    customerId: row.customer_id,
    journalEntryId: row.journal_entry_id === null ? null : Number(row.journal_entry_id),
  }));
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
