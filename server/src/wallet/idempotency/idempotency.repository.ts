import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { idempotencyKeys } from './idempotency.tables.js';

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
export type StoredResponse = { status: number; body: unknown };
type KeyRef = { customerId: string; key: string };

/** Bounds how long a duplicate waits on the first request's claim before it hears "in progress". */
export async function limitLockWait(db: Queryable, seconds: number): Promise<void> {
  await db.$client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(seconds))}s'`);
}

/**
 * Claims the key; false when it exists already. A concurrent claim of the same key blocks on the
 * unique index until this transaction ends. A two-phase claim carries its token and time.
 */
export async function insertIdempotencyKey(
  db: Queryable,
  ref: KeyRef & { requestHash: string; claim?: { token: string; at: Date } },
): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({
      customerId: ref.customerId,
      key: ref.key,
      requestHash: ref.requestHash,
      ...(ref.claim ? { claimToken: ref.claim.token, claimedAt: ref.claim.at, createdAt: ref.claim.at } : {}),
    })
    .onConflictDoNothing({ target: [idempotencyKeys.customerId, idempotencyKeys.key] })
    .returning({ key: idempotencyKeys.key });
  return inserted.length > 0;
}

/** The key's row; with `forUpdate`, locked until the transaction ends (a takeover, or proof the claim is still held). */
export async function findIdempotencyKey(
  db: Queryable,
  ref: KeyRef,
  options: { forUpdate?: boolean } = {},
): Promise<IdempotencyKeyRow | undefined> {
  const query = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.customerId, ref.customerId), eq(idempotencyKeys.key, ref.key)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** Hands a claim in progress to a new request: its token fences the request that held it before. */
export async function takeOverIdempotencyClaim(db: Queryable, ref: KeyRef, claim: { token: string; at: Date }): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ claimToken: claim.token, claimedAt: claim.at })
    .where(and(eq(idempotencyKeys.customerId, ref.customerId), eq(idempotencyKeys.key, ref.key)));
}

/** Stores the answer for the key; with `onlyInProgress`, a key already completed keeps its answer. */
export async function completeIdempotencyKey(
  db: Queryable,
  ref: KeyRef,
  response: StoredResponse,
  options: { onlyInProgress?: boolean } = {},
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ state: 'completed', responseStatus: response.status, responseBody: response.body, completedAt: sql`now()` })
    .where(
      and(
        eq(idempotencyKeys.customerId, ref.customerId),
        eq(idempotencyKeys.key, ref.key),
        options.onlyInProgress ? eq(idempotencyKeys.state, 'in_progress') : undefined,
      ),
    );
}

/** The key while `token` holds it in progress. */
const heldBy = (ref: KeyRef & { token: string }) =>
  and(
    eq(idempotencyKeys.customerId, ref.customerId),
    eq(idempotencyKeys.key, ref.key),
    eq(idempotencyKeys.claimToken, ref.token),
    eq(idempotencyKeys.state, 'in_progress'),
  );

/** Forgets a claim that never started anything, if this token still holds it. */
export async function deleteInProgressIdempotencyKey(db: Queryable, ref: KeyRef & { token: string }): Promise<void> {
  await db.delete(idempotencyKeys).where(heldBy(ref));
}

export async function deleteIdempotencyKeysOlderThan(db: Queryable, hours: number): Promise<number> {
  const deleted = await db.delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${hours})`);
  return deleted.rowCount ?? 0;
}
