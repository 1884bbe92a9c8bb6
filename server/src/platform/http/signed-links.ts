import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived links that carry their own permission, for what a browser loads without headers
 * (an <img src>, a download): the path, an expiry and an HMAC over both. No session token ever
 * rides in a URL, where logs, proxies and browser history would keep it.
 */
const signatureOf = (secret: string, path: string, expires: number) =>
  createHmac('sha256', secret).update(`link:${path}:${expires}`).digest('base64url');

export function signLink(secret: string, path: string, now: Date, ttlSeconds: number): { url: string; expiresAt: Date } {
  const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
  return { url: `${path}?expires=${expires}&signature=${signatureOf(secret, path, expires)}`, expiresAt: new Date(expires * 1000) };
}

export type LinkCheck = 'valid' | 'expired' | 'forged';

/** Checks a link's signature first (a forged one says nothing about expiry), then its expiry. */
export function checkLink(secret: string, path: string, expires: unknown, signature: unknown, now: Date): LinkCheck {
  const at = typeof expires === 'string' && /^\d{1,12}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!Number.isInteger(at) || typeof signature !== 'string' || signature.length > 100) return 'forged';
  const expected = Buffer.from(signatureOf(secret, path, at));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return at * 1000 > now.getTime() ? 'valid' : 'expired';
}
