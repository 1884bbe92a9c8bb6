import { randomUUID } from 'node:crypto';
import type { SessionRef } from './sessions.js';
import { hmac, safeEqual } from './tokens.js';

/**
 * Short-lived signed tokens for the realtime handshake. Sockets never authenticate with cookies
 * (any site could open a socket that carries them); the page fetches a token over its session
 * and hands it to Socket.IO. Visitors get a long-lived token naming an anonymous visitor id.
 * Tokens fetched over a session name it by its public id, so chats end when the session does
 * (sign-out, revocation, password reset).
 */
export type RealtimeIdentity =
  | { kind: 'customer'; customerId: string; sessionId?: string }
  | { kind: 'staff'; staffId: string; sessionId?: string }
  | { kind: 'visitor'; visitorId: string };

type Claims = RealtimeIdentity & { exp: number };

export const realtimeTokenSeconds = { customer: 10 * 60, staff: 10 * 60, visitor: 30 * 24 * 3600 } as const;

export function signRealtimeToken(secret: string, identity: RealtimeIdentity, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + realtimeTokenSeconds[identity.kind] * 1000);
  const payload = Buffer.from(JSON.stringify({ ...identity, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
  return { token: `${payload}.${hmac(secret, `realtime:${payload}`)}`, expiresAt };
}

export function verifyRealtimeToken(secret: string, token: unknown, now: Date): RealtimeIdentity | undefined {
  if (typeof token !== 'string' || token.length > 1000) return undefined;
  const [payload, signature] = token.split('.');
  if (!payload || !signature || !safeEqual(signature, hmac(secret, `realtime:${payload}`))) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims> & { sessionId?: unknown };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return undefined;
    const session = typeof claims.sessionId === 'string' ? { sessionId: claims.sessionId } : {};
    if (claims.kind === 'customer' && typeof claims.customerId === 'string')
      return { kind: 'customer', customerId: claims.customerId, ...session };
    if (claims.kind === 'staff' && typeof claims.staffId === 'string') return { kind: 'staff', staffId: claims.staffId, ...session };
    if (claims.kind === 'visitor' && typeof claims.visitorId === 'string') return { kind: 'visitor', visitorId: claims.visitorId };
  } catch {
    return undefined;
  }
  return undefined;
}

export function newVisitorId(): string {
  return randomUUID();
}

/** The session a token was fetched over, if any (visitors have none). */
export function sessionRefOf(identity: RealtimeIdentity): SessionRef | undefined {
  if (identity.kind === 'visitor' || !identity.sessionId) return undefined;
  return {
    publicId: identity.sessionId,
    principal:
      identity.kind === 'customer' ? { kind: 'customer', customerId: identity.customerId } : { kind: 'staff', staffId: identity.staffId },
  };
}
