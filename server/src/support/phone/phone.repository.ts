import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../../platform/index.js';
import { callbacks, callEvents, calls } from './phone.tables.js';

export type CallRow = typeof calls.$inferSelect;
export type CallEventRow = typeof callEvents.$inferSelect;

export async function insertCall(db: Queryable, values: typeof calls.$inferInsert): Promise<CallRow> {
  const [row] = await db.insert(calls).values(values).returning();
  if (!row) throw new Error('call insert returned nothing');
  return row;
}

export async function findCallByProviderId(db: Queryable, provider: string, providerCallId: string): Promise<CallRow | undefined> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.provider, provider), eq(calls.providerCallId, providerCallId)));
  return row;
}

/** The call, locked until the transaction ends: its events are applied one at a time. */
export async function findCallByProviderIdForUpdate(
  tx: Transaction,
  provider: string,
  providerCallId: string,
): Promise<CallRow | undefined> {
  const [row] = await tx
    .select()
    .from(calls)
    .where(and(eq(calls.provider, provider), eq(calls.providerCallId, providerCallId)))
    .for('update');
  return row;
}

export async function findCall(db: Queryable, callId: string): Promise<CallRow | undefined> {
  const [row] = await db.select().from(calls).where(eq(calls.id, callId));
  return row;
}

export async function updateCall(
  tx: Transaction,
  callId: string,
  fields: Partial<Pick<CallRow, 'state' | 'locale' | 'queuedAt' | 'answeredAt' | 'endedAt' | 'recordingUrl' | 'updatedAt'>>,
): Promise<CallRow> {
  const [row] = await tx.update(calls).set(fields).where(eq(calls.id, callId)).returning();
  if (!row) throw new Error(`call ${callId} vanished`);
  return row;
}

/** Whether this report about the call was recorded before. */
export async function hasCallEvent(db: Queryable, callId: string, providerEventKey: string): Promise<boolean> {
  const [row] = await db
    .select({ id: callEvents.id })
    .from(callEvents)
    .where(and(eq(callEvents.callId, callId), eq(callEvents.providerEventKey, providerEventKey)));
  return row !== undefined;
}

/** Appends to the call's log; the caller holds the call's row lock, so the numbers follow the order of events. */
export async function insertCallEvent(tx: Transaction, values: Omit<typeof callEvents.$inferInsert, 'seq'>): Promise<CallEventRow> {
  const [row] = await tx
    .insert(callEvents)
    .values({
      ...values,
      seq: sql`(select coalesce(max(${callEvents.seq}), 0) + 1 from ${callEvents} where ${callEvents.callId} = ${values.callId})`,
    })
    .returning();
  if (!row) throw new Error('call event insert returned nothing');
  return row;
}

export async function listConversationCalls(db: Queryable, conversationId: string): Promise<CallRow[]> {
  return db.select().from(calls).where(eq(calls.conversationId, conversationId)).orderBy(asc(calls.startedAt));
}

export async function listCallEvents(db: Queryable, callIds: readonly string[]): Promise<CallEventRow[]> {
  if (callIds.length === 0) return [];
  return db
    .select()
    .from(callEvents)
    .where(inArray(callEvents.callId, [...callIds]))
    .orderBy(asc(callEvents.callId), asc(callEvents.seq));
}

// ---- Callbacks ----------------------------------------------------------------------------------

export type CallbackRow = typeof callbacks.$inferSelect;

export async function insertCallback(tx: Transaction, values: typeof callbacks.$inferInsert): Promise<CallbackRow> {
  const [row] = await tx.insert(callbacks).values(values).returning();
  if (!row) throw new Error('callback insert returned nothing');
  return row;
}

export async function findOpenCallbackOfCustomer(db: Queryable, customerId: string): Promise<CallbackRow | undefined> {
  const [row] = await db
    .select()
    .from(callbacks)
    .where(and(eq(callbacks.customerId, customerId), inArray(callbacks.state, ['scheduled', 'queued'])));
  return row;
}

export async function findCallback(db: Queryable, callbackId: string): Promise<CallbackRow | undefined> {
  const [row] = await db.select().from(callbacks).where(eq(callbacks.id, callbackId));
  return row;
}

export async function findCallbackForUpdate(tx: Transaction, callbackId: string): Promise<CallbackRow | undefined> {
  const [row] = await tx.select().from(callbacks).where(eq(callbacks.id, callbackId)).for('update');
  return row;
}

/** Callbacks whose time has come, locked; another node's sweep skips them. */
export async function lockDueCallbacks(tx: Transaction, at: Date, limit: number): Promise<CallbackRow[]> {
  return tx
    .select()
    .from(callbacks)
    .where(and(eq(callbacks.state, 'scheduled'), lte(callbacks.dueAt, at)))
    .orderBy(asc(callbacks.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * Scheduled callbacks whose next attempt is due after `at` and by `until`, not yet announced for
 * that attempt: claimed in one statement (`reminded_attempt` becomes the attempt's number). Rows
 * another node holds are skipped, and one it claimed meanwhile no longer matches when re-read
 * under its lock, so each attempt is announced once however many nodes sweep.
 */
export async function claimCallbackReminders(tx: Transaction, at: Date, until: Date, limit: number): Promise<CallbackRow[]> {
  const unannounced = tx
    .select({ id: callbacks.id })
    .from(callbacks)
    .where(
      and(
        eq(callbacks.state, 'scheduled'),
        gt(callbacks.dueAt, at),
        lte(callbacks.dueAt, until),
        sql`coalesce(${callbacks.remindedAttempt}, 0) <= ${callbacks.attempts}`,
      ),
    )
    .orderBy(asc(callbacks.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return tx
    .update(callbacks)
    .set({ remindedAttempt: sql`${callbacks.attempts} + 1` })
    .where(inArray(callbacks.id, unannounced))
    .returning();
}

export async function updateCallback(
  tx: Transaction,
  callbackId: string,
  fields: Partial<Pick<CallbackRow, 'state' | 'dueAt' | 'attempts' | 'updatedAt'>>,
): Promise<CallbackRow> {
  const [row] = await tx.update(callbacks).set(fields).where(eq(callbacks.id, callbackId)).returning();
  if (!row) throw new Error(`callback ${callbackId} vanished`);
  return row;
}

export async function listConversationCallbacks(db: Queryable, conversationId: string): Promise<CallbackRow[]> {
  return db.select().from(callbacks).where(eq(callbacks.conversationId, conversationId)).orderBy(asc(callbacks.createdAt));
}
