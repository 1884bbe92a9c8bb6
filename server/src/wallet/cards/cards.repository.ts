import { and, asc, desc, eq } from 'drizzle-orm';
import { type Queryable, rowFrom } from '../../platform/index.js';
import { cards } from './cards.tables.js';

export type CardRow = typeof cards.$inferSelect;

/**
 * One of the customer's cards, active or removed; another customer's card is never found. A
 * prepared statement: every top-up starts here.
 */
export async function findCard(db: Queryable, customerId: string, cardId: string): Promise<CardRow | undefined> {
  const result = await db.$client.query<Record<string, unknown>>({
    name: 'okpay_find_card',
    text: 'SELECT * FROM cards WHERE id = $1 AND customer_id = $2',
    values: [cardId, customerId],
  });
  const raw = result.rows[0];
  return raw ? rowFrom(cards, raw) : undefined;
}

/** Whether the customer already has this card (by its keyed fingerprint) bound and active. */
export async function hasActiveCardWithFingerprint(db: Queryable, customerId: string, fingerprint: string): Promise<boolean> {
  const [row] = await db
    .select({ id: cards.id })
    .from(cards)
    .where(and(eq(cards.customerId, customerId), eq(cards.fingerprint, fingerprint), eq(cards.status, 'active')))
    .limit(1);
  return row !== undefined;
}

export async function insertCard(db: Queryable, values: typeof cards.$inferInsert): Promise<CardRow> {
  const [row] = await db.insert(cards).values(values).returning();
  if (!row) throw new Error('card insert returned nothing');
  return row;
}

/** Soft removal of an active card; undefined when there is no such active card of the customer. */
export async function markCardRemoved(db: Queryable, customerId: string, cardId: string, at: Date): Promise<CardRow | undefined> {
  const [row] = await db
    .update(cards)
    .set({ status: 'removed', removedAt: at })
    .where(and(eq(cards.id, cardId), eq(cards.customerId, customerId), eq(cards.status, 'active')))
    .returning();
  return row;
}

/** The customer's active cards, newest first. */
export async function listActiveCards(db: Queryable, customerId: string): Promise<CardRow[]> {
  return db
    .select()
    .from(cards)
    .where(and(eq(cards.customerId, customerId), eq(cards.status, 'active')))
    .orderBy(desc(cards.createdAt), desc(cards.id));
}

/** Every card the customer bound, active ones first, newest first: what an agent sees. */
export async function listCustomerCards(db: Queryable, customerId: string, limit: number): Promise<CardRow[]> {
  return db.select().from(cards).where(eq(cards.customerId, customerId)).orderBy(asc(cards.status), desc(cards.createdAt)).limit(limit);
}

/** Whether the customer ever bound a card. */
export async function hasCustomerCards(db: Queryable, customerId: string): Promise<boolean> {
  const [row] = await db.select({ id: cards.id }).from(cards).where(eq(cards.customerId, customerId)).limit(1);
  return row !== undefined;
}
