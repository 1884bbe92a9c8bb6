import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Executor } from '../platform/db/client.js';
import type { Deps } from '../platform/deps.js';
import { sessions } from './identity.tables.js';
import { hashToken, hmac, newToken } from './tokens.js';

export type Principal = { kind: 'customer'; customerId: string } | { kind: 'staff'; staffId: string };

export type Session = {
  id: string;
  principal: Principal;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export type NewSession = { token: string; session: Session; csrfToken: string };

type SessionDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export async function createSession(
  deps: SessionDeps,
  principal: Principal,
  client: { ip: string | null; userAgent: string | null },
  executor: Executor = deps.db,
): Promise<NewSession> {
  const token = newToken();
  const id = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000);
  await executor.insert(sessions).values({
    id,
    customerId: principal.kind === 'customer' ? principal.customerId : null,
    staffId: principal.kind === 'staff' ? principal.staffId : null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  return {
    token,
    session: { id, principal, createdAt: now, lastSeenAt: now, expiresAt },
    csrfToken: csrfTokenFor(deps.config.sessionSecret, id),
  };
}

/** Finds a live session for a bearer or cookie token: not revoked, not past absolute or idle expiry. */
export async function findSession(deps: SessionDeps, token: string): Promise<Session | undefined> {
  const id = hashToken(token);
  const now = deps.clock.now();
  const idleCutoff = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000);
  const [row] = await deps.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleCutoff)));
  if (!row) return undefined;
  // Sliding idle expiry, written at most once a minute to spare the database.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  const principal: Principal = row.customerId
    ? { kind: 'customer', customerId: row.customerId }
    : { kind: 'staff', staffId: row.staffId ?? '' };
  return { id, principal, createdAt: row.createdAt, lastSeenAt: now, expiresAt: row.expiresAt };
}

/** CSRF token bound to the session; only cookie-authenticated requests need it. */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return hmac(secret, `csrf:${sessionId}`);
}

export async function revokeSession(executor: Executor, sessionId: string, at: Date): Promise<boolean> {
  const revoked = await executor
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

export async function revokeAllSessions(executor: Executor, principal: Principal, at: Date): Promise<number> {
  const owner = principal.kind === 'customer' ? eq(sessions.customerId, principal.customerId) : eq(sessions.staffId, principal.staffId);
  const revoked = await executor
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(owner, isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}

export async function listLiveSessions(deps: SessionDeps, principal: Principal) {
  const now = deps.clock.now();
  const idleCutoff = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000);
  const owner = principal.kind === 'customer' ? eq(sessions.customerId, principal.customerId) : eq(sessions.staffId, principal.staffId);
  return deps.db
    .select()
    .from(sessions)
    .where(and(owner, isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleCutoff)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Public id for a session in lists: a prefix of the stored hash, never the token. */
export function publicSessionId(sessionId: string): string {
  return sessionId.slice(0, 16);
}

export async function findSessionByPublicId(executor: Executor, principal: Principal, publicId: string) {
  const owner = principal.kind === 'customer' ? eq(sessions.customerId, principal.customerId) : eq(sessions.staffId, principal.staffId);
  const [row] = await executor
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(owner, sql`left(${sessions.id}, 16) = ${publicId}`, isNull(sessions.revokedAt)));
  return row?.id;
}

/** A session as a realtime token names it: its public id and its owner. */
export type SessionRef = { publicId: string; principal: Principal };

export function sessionRefKey(ref: SessionRef): string {
  const owner = ref.principal.kind === 'customer' ? ref.principal.customerId : ref.principal.staffId;
  return `${ref.principal.kind}:${owner}:${ref.publicId}`;
}

/**
 * Which of these sessions have ended: signed out, revoked, ended by a password reset, or past their
 * absolute expiry (keys from sessionRefKey). Looked up through each owner's sessions, so the full
 * session id never has to leave the server.
 */
export async function endedSessions(pool: pg.Pool, refs: SessionRef[], now: Date): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const owners = refs.map((ref) => ref.principal);
  const ended = await pool.query<{ index: number }>(
    `SELECT s.index FROM unnest($1::text[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS s(public_id, customer_id, staff_id, index)
     WHERE NOT EXISTS (SELECT 1 FROM sessions live WHERE live.customer_id = s.customer_id AND left(live.id, 16) = s.public_id
                         AND live.revoked_at IS NULL AND live.expires_at > $4)
       AND NOT EXISTS (SELECT 1 FROM sessions live WHERE live.staff_id = s.staff_id AND left(live.id, 16) = s.public_id
                         AND live.revoked_at IS NULL AND live.expires_at > $4)`,
    [
      refs.map((ref) => ref.publicId),
      owners.map((owner) => (owner.kind === 'customer' ? owner.customerId : null)),
      owners.map((owner) => (owner.kind === 'staff' ? owner.staffId : null)),
      now,
    ],
  );
  return new Set(ended.rows.map((row) => sessionRefKey(refs[Number(row.index) - 1] as SessionRef)));
}
