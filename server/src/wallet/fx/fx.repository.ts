import type { CurrencyCode } from '@okpay/contracts';
import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { staffMembers } from '../../identity/index.js';
import { type Queryable, sqlState } from '../../platform/index.js';
import { FxError } from './fx.errors.js';
import { fxQuotes, fxRateChanges, fxRates } from './fx.tables.js';

export type FxQuoteRow = typeof fxQuotes.$inferSelect;
export type FxRateRow = typeof fxRates.$inferSelect;
export type FxRateChangeRow = typeof fxRateChanges.$inferSelect;
/** A rate with the name of the admin who set it (null for the rate shipped with OKPay). */
export type NamedFxRateRow = FxRateRow & { updatedByName: string | null };
/** A rate change with the names of the admin who proposed it and the one who decided it. */
export type NamedFxRateChangeRow = FxRateChangeRow & { proposedByName: string; decidedByName: string | null };

/** Units of the currency per US dollar as a decimal string; asked on every quote, so a prepared statement. */
export async function findUnitsPerUsd(db: Queryable, currency: CurrencyCode): Promise<string | undefined> {
  const result = await db.$client.query<{ units_per_usd: string }>({
    name: 'okpay_fx_rate',
    text: 'SELECT units_per_usd FROM fx_rates WHERE currency = $1',
    values: [currency],
  });
  return result.rows[0]?.units_per_usd;
}

export async function listFxRates(db: Queryable): Promise<NamedFxRateRow[]> {
  const rows = await db
    .select({ rate: fxRates, updatedByName: staffMembers.displayName })
    .from(fxRates)
    .leftJoin(staffMembers, eq(staffMembers.id, fxRates.updatedBy))
    .orderBy(asc(fxRates.currency));
  return rows.map((row) => ({ ...row.rate, updatedByName: row.updatedByName }));
}

/** The current rate, locked until the transaction ends so two admins' changes queue. */
export async function findFxRateForUpdate(db: Queryable, currency: CurrencyCode): Promise<FxRateRow | undefined> {
  const [row] = await db.select().from(fxRates).where(eq(fxRates.currency, currency)).for('update');
  return row;
}

export async function upsertFxRate(db: Queryable, values: typeof fxRates.$inferInsert): Promise<void> {
  await db
    .insert(fxRates)
    .values(values)
    .onConflictDoUpdate({
      target: fxRates.currency,
      set: { unitsPerUsd: values.unitsPerUsd, updatedAt: values.updatedAt, updatedBy: values.updatedBy },
    });
}

export async function insertFxQuote(db: Queryable, values: typeof fxQuotes.$inferInsert): Promise<FxQuoteRow> {
  const [row] = await db.insert(fxQuotes).values(values).returning();
  if (!row) throw new Error('quote insert returned nothing');
  return row;
}

/** The customer's quote, locked so it is executed at most once. */
export async function findFxQuoteForUpdate(db: Queryable, customerId: string, quoteId: string): Promise<FxQuoteRow | undefined> {
  const [row] = await db
    .select()
    .from(fxQuotes)
    .where(and(eq(fxQuotes.id, quoteId), eq(fxQuotes.customerId, customerId)))
    .for('update');
  return row;
}

export async function markFxQuoteExecuted(db: Queryable, quoteId: string, at: Date, journalEntryId: number): Promise<FxQuoteRow> {
  const [row] = await db
    .update(fxQuotes)
    .set({ status: 'executed', executedAt: at, journalEntryId })
    .where(eq(fxQuotes.id, quoteId))
    .returning();
  if (!row) throw new Error('quote update returned nothing');
  return row;
}

const proposer = alias(staffMembers, 'proposer');
const decider = alias(staffMembers, 'decider');

function selectNamedFxRateChanges(db: Queryable) {
  return db
    .select({ change: fxRateChanges, proposedByName: proposer.displayName, decidedByName: decider.displayName })
    .from(fxRateChanges)
    .innerJoin(proposer, eq(proposer.id, fxRateChanges.proposedBy))
    .leftJoin(decider, eq(decider.id, fxRateChanges.decidedBy));
}

const named = (row: { change: FxRateChangeRow; proposedByName: string; decidedByName: string | null }): NamedFxRateChangeRow => ({
  ...row.change,
  proposedByName: row.proposedByName,
  decidedByName: row.decidedByName,
});

/** Rate changes by status, newest first (the last 100, enough for the history). */
export async function listFxRateChanges(db: Queryable, status: FxRateChangeRow['status']): Promise<NamedFxRateChangeRow[]> {
  const rows = await selectNamedFxRateChanges(db)
    .where(eq(fxRateChanges.status, status))
    .orderBy(desc(fxRateChanges.proposedAt))
    .limit(100);
  return rows.map(named);
}

export async function findFxRateChange(db: Queryable, id: string): Promise<NamedFxRateChangeRow | undefined> {
  const [row] = await selectNamedFxRateChanges(db).where(eq(fxRateChanges.id, id));
  return row ? named(row) : undefined;
}

/** The change, locked until the transaction ends so two admins cannot both decide it. */
export async function findFxRateChangeForUpdate(db: Queryable, id: string): Promise<FxRateChangeRow | undefined> {
  const [row] = await db.select().from(fxRateChanges).where(eq(fxRateChanges.id, id)).for('update');
  return row;
}

export async function insertFxRateChange(db: Queryable, values: typeof fxRateChanges.$inferInsert): Promise<FxRateChangeRow> {
  try {
    const [row] = await db.insert(fxRateChanges).values(values).returning();
    if (!row) throw new Error('rate change insert returned nothing');
    return row;
  } catch (error) {
    // One pending change per currency (a partial unique index): decide that one first.
    if (sqlState(error) === '23505') throw FxError('rate_change_pending', { currency: values.currency });
    throw error;
  }
}

export async function markFxRateChangeDecided(
  db: Queryable,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; decisionNote: string | null; decidedAt: Date },
): Promise<void> {
  try {
    await db.update(fxRateChanges).set(decision).where(eq(fxRateChanges.id, id));
  } catch (error) {
    // The table's four-eyes CHECK: whoever proposed a change may not decide it.
    if (sqlState(error) === '23514') throw FxError('rate_change_needs_second_admin');
    throw error;
  }
}
