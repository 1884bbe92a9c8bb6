import type { StaffRole } from '@okpay/contracts';
import { and, desc, eq, gt, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../platform/index.js';
import { customers, emailTokens, phoneVerifications, sessions, staffMembers } from './identity.tables.js';

export type CustomerRow = typeof customers.$inferSelect;
export type StaffMemberRow = typeof staffMembers.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];

/** Whose sessions: a customer's or a staff member's. */
export type SessionOwner = { kind: 'customer'; customerId: string } | { kind: 'staff'; staffId: string };

// ---- Customers ---------------------------------------------------------------------------------

export async function findCustomerById(db: Queryable, customerId: string): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  return row;
}

/** Emails are unique case-insensitively; `email` is already lower case. */
export async function findCustomerByEmail(db: Queryable, email: string): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(eq(sql`lower(${customers.email})`, email));
  return row;
}

/** The customer whose verified email this is; an unverified address never names an account. */
export async function findVerifiedCustomerByEmail(db: Queryable, email: string): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(sql`lower(${customers.email})`, email.toLowerCase()), isNotNull(customers.emailVerifiedAt)));
  return row;
}

/**
 * The customer whose verified phone is this E.164 number. Numbers registered without a country
 * code are mainland numbers (+86). Only an unambiguous match counts.
 */
export async function findCustomerByVerifiedPhone(db: Queryable, e164: string): Promise<CustomerRow | undefined> {
  const rows = await db
    .select()
    .from(customers)
    .where(and(isNotNull(customers.phoneVerifiedAt), sql`(${customers.phone} = ${e164} or ('+86' || ${customers.phone}) = ${e164})`))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}

/** Whether another customer has this number (in E.164, or as a mainland number without +86). */
export async function isPhoneTakenByOther(db: Queryable, customerId: string, e164: string): Promise<boolean> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(ne(customers.id, customerId), sql`(${customers.phone} = ${e164} or ('+86' || ${customers.phone}) = ${e164})`))
    .limit(1);
  return row !== undefined;
}

export type PhoneVerificationRow = typeof phoneVerifications.$inferSelect;

/** The customer's one pending code, replacing any earlier one. */
export async function savePhoneVerification(db: Queryable, values: PhoneVerificationRow): Promise<void> {
  await db
    .insert(phoneVerifications)
    .values(values)
    .onConflictDoUpdate({
      target: phoneVerifications.customerId,
      set: { phone: values.phone, codeHash: values.codeHash, attempts: 0, sentAt: values.sentAt, expiresAt: values.expiresAt },
    });
}

export async function findPhoneVerification(db: Queryable, customerId: string): Promise<PhoneVerificationRow | undefined> {
  const [row] = await db.select().from(phoneVerifications).where(eq(phoneVerifications.customerId, customerId));
  return row;
}

/** Counts a wrong answer; answers the attempts made so far. */
export async function countPhoneCodeAttempt(db: Queryable, customerId: string): Promise<number> {
  const [row] = await db
    .update(phoneVerifications)
    .set({ attempts: sql`${phoneVerifications.attempts} + 1` })
    .where(eq(phoneVerifications.customerId, customerId))
    .returning({ attempts: phoneVerifications.attempts });
  return row?.attempts ?? Number.POSITIVE_INFINITY;
}

export async function deletePhoneVerification(db: Queryable, customerId: string): Promise<void> {
  await db.delete(phoneVerifications).where(eq(phoneVerifications.customerId, customerId));
}

/** The customer's proven number. */
export async function setVerifiedPhone(db: Queryable, customerId: string, phone: string, at: Date): Promise<CustomerRow | undefined> {
  const [row] = await db
    .update(customers)
    .set({ phone, phoneVerifiedAt: at, updatedAt: at })
    .where(eq(customers.id, customerId))
    .returning();
  return row;
}

export async function insertCustomer(db: Queryable, values: typeof customers.$inferInsert): Promise<CustomerRow> {
  const [row] = await db.insert(customers).values(values).returning();
  if (!row) throw new Error('customer insert returned nothing');
  return row;
}

export async function updateCustomer(
  db: Queryable,
  customerId: string,
  changes: Partial<Pick<CustomerRow, 'displayName' | 'locale' | 'passwordHash' | 'emailVerifiedAt'>> & { updatedAt: Date },
): Promise<CustomerRow | undefined> {
  const [row] = await db.update(customers).set(changes).where(eq(customers.id, customerId)).returning();
  return row;
}

// ---- Staff -------------------------------------------------------------------------------------

export async function findStaffMemberById(db: Queryable, staffId: string): Promise<StaffMemberRow | undefined> {
  const [row] = await db.select().from(staffMembers).where(eq(staffMembers.id, staffId));
  return row;
}

export async function findStaffMemberByEmail(db: Queryable, email: string): Promise<StaffMemberRow | undefined> {
  const [row] = await db
    .select()
    .from(staffMembers)
    .where(eq(sql`lower(${staffMembers.email})`, email));
  return row;
}

export async function insertStaffMember(db: Queryable, values: typeof staffMembers.$inferInsert): Promise<StaffMemberRow> {
  const [row] = await db.insert(staffMembers).values(values).returning();
  if (!row) throw new Error('staff insert returned nothing');
  return row;
}

// ---- Sessions ----------------------------------------------------------------------------------

function ownedBy(owner: SessionOwner) {
  return owner.kind === 'customer' ? eq(sessions.customerId, owner.customerId) : eq(sessions.staffId, owner.staffId);
}

export async function insertSession(db: Queryable, values: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(values);
}

/** A session that is not revoked, not past its absolute expiry and used since `idleCutoff`. */
export async function findLiveSession(
  db: Queryable,
  sessionId: string,
  at: { now: Date; idleCutoff: Date },
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, at.now), gt(sessions.lastSeenAt, at.idleCutoff)),
    );
  return row;
}

export async function touchSession(db: Queryable, sessionId: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, sessionId));
}

export async function listLiveSessions(db: Queryable, owner: SessionOwner, at: { now: Date; idleCutoff: Date }): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(ownedBy(owner), isNull(sessions.revokedAt), gt(sessions.expiresAt, at.now), gt(sessions.lastSeenAt, at.idleCutoff)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** The owner's unrevoked session whose stored id starts with `publicId`. */
export async function findSessionIdByPublicId(db: Queryable, owner: SessionOwner, publicId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(ownedBy(owner), sql`left(${sessions.id}, 16) = ${publicId}`, isNull(sessions.revokedAt)));
  return row?.id;
}

export async function revokeSession(db: Queryable, sessionId: string, at: Date): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

export async function revokeAllSessions(db: Queryable, owner: SessionOwner, at: Date): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(ownedBy(owner), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}

/**
 * Of the sessions named by (public id, owner), the positions (1-based) of those that have ended:
 * revoked or past their absolute expiry. One statement for every socket a node holds.
 */
export async function findEndedSessionPositions(
  db: Queryable,
  refs: ReadonlyArray<{ publicId: string; owner: SessionOwner }>,
  now: Date,
): Promise<number[]> {
  const ended = await db.$client.query<{ index: string }>(
    `SELECT s.index FROM unnest($1::text[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS s(public_id, customer_id, staff_id, index)
     WHERE NOT EXISTS (SELECT 1 FROM sessions live WHERE live.customer_id = s.customer_id AND left(live.id, 16) = s.public_id
                         AND live.revoked_at IS NULL AND live.expires_at > $4)
       AND NOT EXISTS (SELECT 1 FROM sessions live WHERE live.staff_id = s.staff_id AND left(live.id, 16) = s.public_id
                         AND live.revoked_at IS NULL AND live.expires_at > $4)`,
    [
      refs.map((ref) => ref.publicId),
      refs.map((ref) => (ref.owner.kind === 'customer' ? ref.owner.customerId : null)),
      refs.map((ref) => (ref.owner.kind === 'staff' ? ref.owner.staffId : null)),
      now,
    ],
  );
  return ended.rows.map((row) => Number(row.index));
}

/**
 * What a realtime handshake must know of each identity it presents, for many at once in one
 * statement: whether the customer or staff member still exists (their name, a staff member's role
 * and whether active) and whether the session the token was fetched over has ended. One row per
 * ref, in order; `name` is null when nobody is behind the ref.
 */
export async function findLiveParticipants(
  db: Queryable,
  refs: ReadonlyArray<{ owner: SessionOwner; sessionPublicId: string | null }>,
  now: Date,
): Promise<Array<{ name: string | null; role: StaffRole | null; isActive: boolean; sessionEnded: boolean }>> {
  const found = await db.$client.query<{
    index: string;
    name: string | null;
    role: StaffRole | null;
    is_active: boolean | null;
    session_ended: boolean;
  }>({
    // Named, and a function that keeps one generic plan (migration 0039): a node restart's
    // handshakes send it thousands of times, planned once per connection.
    name: 'okpay_live_participants',
    text: 'SELECT index, name, role, is_active, session_ended FROM okpay_live_participants($1, $2, $3, $4)',
    values: [
      refs.map((ref) => ref.sessionPublicId),
      refs.map((ref) => (ref.owner.kind === 'customer' ? ref.owner.customerId : null)),
      refs.map((ref) => (ref.owner.kind === 'staff' ? ref.owner.staffId : null)),
      now,
    ],
  });
  const byIndex = new Map(found.rows.map((row) => [Number(row.index), row]));
  return refs.map((_, position) => {
    const row = byIndex.get(position + 1);
    return {
      name: row?.name ?? null,
      role: row?.role ?? null,
      isActive: row?.is_active ?? true,
      sessionEnded: row?.session_ended ?? false,
    };
  });
}

// ---- Email tokens ------------------------------------------------------------------------------

export async function insertEmailToken(db: Queryable, values: typeof emailTokens.$inferInsert): Promise<void> {
  await db.insert(emailTokens).values(values);
}

/** Marks an unused, unexpired token used and returns its customer; the conditional UPDATE lets it happen once. */
export async function useEmailToken(
  db: Queryable,
  input: { tokenHash: string; purpose: EmailTokenPurpose; now: Date },
): Promise<string | undefined> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(emailTokens.tokenHash, input.tokenHash),
        eq(emailTokens.purpose, input.purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, input.now),
      ),
    )
    .returning({ customerId: emailTokens.customerId });
  return row?.customerId;
}

export async function retireEmailTokens(db: Queryable, customerId: string, purpose: EmailTokenPurpose, now: Date): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.customerId, customerId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}
