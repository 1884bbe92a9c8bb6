import type { ConversationChannel } from '@okpay/contracts';
import { and, asc, eq, gte, inArray, isNotNull, max, or, sql } from 'drizzle-orm';
import { customers, staffMembers } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import { emailAddresses } from '../email/email.tables.js';
import { conversations } from '../support.tables.js';
import { conversationRatings, ratingOptOuts, ratingSurveys } from './ratings.tables.js';

export type SurveyRow = typeof ratingSurveys.$inferSelect;
export type SurveyStatus = SurveyRow['status'];
export type SkipReason = NonNullable<SurveyRow['skipReason']>;
export type RatingRow = typeof conversationRatings.$inferSelect;

export async function findSurvey(db: Queryable, conversationId: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(ratingSurveys).where(eq(ratingSurveys.conversationId, conversationId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findSurveyByToken(db: Queryable, tokenHash: string): Promise<SurveyRow | undefined> {
  const [row] = await db.select().from(ratingSurveys).where(eq(ratingSurveys.tokenHash, tokenHash));
  return row;
}

export type NewSurvey = typeof ratingSurveys.$inferInsert;

/** Inserts the conversation's one survey; undefined when another was written first. */
export async function insertSurvey(db: Queryable, survey: NewSurvey): Promise<SurveyRow | undefined> {
  const [row] = await db.insert(ratingSurveys).values(survey).onConflictDoNothing({ target: ratingSurveys.conversationId }).returning();
  return row;
}

export async function updateSurvey(
  db: Queryable,
  conversationId: string,
  changes: Partial<Pick<SurveyRow, 'status' | 'skipReason' | 'tokenHash' | 'sendAt' | 'sentAt' | 'expiresAt' | 'agentId'>>,
): Promise<SurveyRow> {
  const [row] = await db.update(ratingSurveys).set(changes).where(eq(ratingSurveys.conversationId, conversationId)).returning();
  return row as SurveyRow;
}

/** The newest survey sent to any of these people (customer, address or visitor) since a time. */
export async function lastSurveySentTo(
  db: Queryable,
  who: { customerId: string | null; email: string | null; visitorId: string | null },
  since: Date,
): Promise<Date | undefined> {
  const people = [
    who.customerId ? eq(ratingSurveys.customerId, who.customerId) : undefined,
    who.email ? eq(ratingSurveys.recipientEmail, who.email) : undefined,
    who.visitorId ? eq(ratingSurveys.visitorId, who.visitorId) : undefined,
  ].filter((condition) => condition !== undefined);
  if (people.length === 0) return undefined;
  const [found] = await db
    .select({ sentAt: max(ratingSurveys.sentAt) })
    .from(ratingSurveys)
    .where(and(inArray(ratingSurveys.status, ['sent', 'answered']), gte(ratingSurveys.sentAt, since), or(...people)));
  return found?.sentAt ?? undefined;
}

export const optOutSubjects = (who: { customerId: string | null; email: string | null; visitorId: string | null }) =>
  [
    who.customerId ? `customer:${who.customerId}` : null,
    who.email ? `email:${who.email.toLowerCase()}` : null,
    who.visitorId ? `visitor:${who.visitorId}` : null,
  ].filter((subject): subject is string => subject !== null);

export async function hasOptedOut(db: Queryable, subjects: string[]): Promise<boolean> {
  if (subjects.length === 0) return false;
  const found = await db
    .select({ subject: ratingOptOuts.subject })
    .from(ratingOptOuts)
    .where(inArray(ratingOptOuts.subject, subjects))
    .limit(1);
  return found.length > 0;
}

export async function insertOptOuts(db: Queryable, subjects: string[], at: Date): Promise<void> {
  if (subjects.length === 0) return;
  await db
    .insert(ratingOptOuts)
    .values(subjects.map((subject) => ({ subject, createdAt: at })))
    .onConflictDoNothing({ target: ratingOptOuts.subject });
}

export async function findRating(db: Queryable, conversationId: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(conversationRatings).where(eq(conversationRatings.conversationId, conversationId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export type RatingWrite = Omit<RatingRow, 'reviewedBy' | 'reviewedAt'>;

/** Stores the answer, or the changed answer; a changed score waits for a fresh review if it is low. */
export async function upsertRating(db: Queryable, rating: RatingWrite): Promise<RatingRow> {
  const isSameScore = sql`${conversationRatings.score} = excluded.score`;
  const [row] = await db
    .insert(conversationRatings)
    .values(rating)
    .onConflictDoUpdate({
      target: conversationRatings.conversationId,
      set: {
        score: sql`excluded.score`,
        reasons: sql`excluded.reasons`,
        comment: sql`excluded.comment`,
        source: sql`excluded.source`,
        ipAddress: sql`excluded.ip_address`,
        userAgent: sql`excluded.user_agent`,
        updatedAt: sql`excluded.updated_at`,
        needsReview: sql`CASE WHEN ${isSameScore} THEN ${conversationRatings.needsReview} ELSE excluded.needs_review END`,
        reviewedBy: sql`CASE WHEN ${isSameScore} THEN ${conversationRatings.reviewedBy} END`,
        reviewedAt: sql`CASE WHEN ${isSameScore} THEN ${conversationRatings.reviewedAt} END`,
      },
    })
    .returning();
  return row as RatingRow;
}

export async function markReviewed(db: Queryable, conversationId: string, staffId: string, at: Date): Promise<RatingRow | undefined> {
  const [row] = await db
    .update(conversationRatings)
    .set({ needsReview: false, reviewedBy: staffId, reviewedAt: at })
    .where(eq(conversationRatings.conversationId, conversationId))
    .returning();
  return row;
}

/** Low ratings no supervisor has followed up yet, oldest first (they have waited longest). */
export async function listFollowUps(db: Queryable, limit: number) {
  return db
    .select({
      rating: conversationRatings,
      conversation: { channel: sql<ConversationChannel>`${conversations.channel}`, reference: conversations.reference },
      customerName: sql<string | null>`coalesce(${customers.displayName}, ${conversations.contactName})`,
      agentName: staffMembers.displayName,
    })
    .from(conversationRatings)
    .innerJoin(conversations, eq(conversations.id, conversationRatings.conversationId))
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(staffMembers, eq(staffMembers.id, conversationRatings.agentId))
    .where(eq(conversationRatings.needsReview, true))
    .orderBy(asc(conversationRatings.ratedAt))
    .limit(limit);
}

export async function isUndeliverable(db: Queryable, address: string): Promise<boolean> {
  const found = await db
    .select({ address: emailAddresses.address })
    .from(emailAddresses)
    .where(and(eq(emailAddresses.address, address.toLowerCase()), isNotNull(emailAddresses.undeliverableSince)));
  return found.length > 0;
}
