import type { Deps, Queryable } from '../platform/index.js';
import {
  findEndedSessionPositions,
  findLiveSession,
  insertSession,
  listLiveSessions as listLiveSessionRows,
  type SessionOwner,
  type SessionRow,
  touchSession,
} from './identity.repository.js';
import { hashToken, hmac, newToken } from './tokens.js';

export type Principal = SessionOwner;

export type Session = {
  id: string;
  principal: Principal;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export type NewSession = { token: string; session: Session; csrfToken: string };

type SessionDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

function liveAt(deps: SessionDeps): { now: Date; idleCutoff: Date } {
  const now = deps.clock.now();
  return { now, idleCutoff: new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000) };
}

export async function createSession(
  deps: SessionDeps,
  principal: Principal,
  client: { ip: string | null; userAgent: string | null },
  db: Queryable = deps.db,
): Promise<NewSession> {
  const token = newToken();
  const id = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000);
  await insertSession(db, {
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

function principalOf(row: SessionRow): Principal {
  return row.customerId ? { kind: 'customer', customerId: row.customerId } : { kind: 'staff', staffId: row.staffId ?? '' };
}

/** Finds a live session for a bearer or cookie token: not revoked, not past absolute or idle expiry. */
export async function findSession(deps: SessionDeps, token: string): Promise<Session | undefined> {
  const id = hashToken(token);
  const at = liveAt(deps);
  const row = await findLiveSession(deps.db, id, at);
  if (!row) return undefined;
  // Sliding idle expiry, written at most once a minute to spare the database.
  if (at.now.getTime() - row.lastSeenAt.getTime() > 60_000) await touchSession(deps.db, id, at.now);
  return { id, principal: principalOf(row), createdAt: row.createdAt, lastSeenAt: at.now, expiresAt: row.expiresAt };
}

/** CSRF token bound to the session; only cookie-authenticated requests need it. */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return hmac(secret, `csrf:${sessionId}`);
}

export async function listLiveSessions(deps: SessionDeps, principal: Principal): Promise<SessionRow[]> {
  return listLiveSessionRows(deps.db, principal, liveAt(deps));
}

/** Public id for a session in lists: a prefix of the stored hash, never the token. */
export function publicSessionId(sessionId: string): string {
  return sessionId.slice(0, 16);
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
export async function endedSessions(db: Queryable, refs: SessionRef[], now: Date): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const positions = await findEndedSessionPositions(
    db,
    refs.map((ref) => ({ publicId: ref.publicId, owner: ref.principal })),
    now,
  );
  return new Set(positions.map((position) => sessionRefKey(refs[position - 1] as SessionRef)));
}
