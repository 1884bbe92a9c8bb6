import type { Queryable } from '../platform/index.js';
import { type EmailTokenPurpose, insertEmailToken, useEmailToken } from './identity.repository.js';
import { hashToken, newToken } from './tokens.js';

export type { EmailTokenPurpose };

export async function issueEmailToken(
  db: Queryable,
  input: { customerId: string; purpose: EmailTokenPurpose; now: Date; ttlMs: number },
): Promise<string> {
  const token = newToken();
  await insertEmailToken(db, {
    customerId: input.customerId,
    purpose: input.purpose,
    tokenHash: hashToken(token),
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.ttlMs),
  });
  return token;
}

/**
 * Marks a token used and returns its customer, or undefined when the token is unknown, expired
 * or already used. The conditional UPDATE makes "once and only once" hold under concurrency.
 */
export async function consumeEmailToken(
  db: Queryable,
  input: { token: string; purpose: EmailTokenPurpose; now: Date },
): Promise<string | undefined> {
  return useEmailToken(db, { tokenHash: hashToken(input.token), purpose: input.purpose, now: input.now });
}
