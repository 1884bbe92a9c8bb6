import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../platform/db/client.js';
import { emailTokens } from './identity.tables.js';
import { hashToken, newToken } from './tokens.js';

export type EmailTokenPurpose = 'password_reset' | 'email_verification';

export async function issueEmailToken(
  executor: Executor,
  input: { customerId: string; purpose: EmailTokenPurpose; now: Date; ttlMs: number },
): Promise<string> {
  const token = newToken();
  await executor.insert(emailTokens).values({
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
  executor: Executor,
  input: { token: string; purpose: EmailTokenPurpose; now: Date },
): Promise<string | undefined> {
  const [row] = await executor
    .update(emailTokens)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(emailTokens.tokenHash, hashToken(input.token)),
        eq(emailTokens.purpose, input.purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, input.now),
      ),
    )
    .returning({ customerId: emailTokens.customerId });
  return row?.customerId;
}

/** A new reset link makes the older unused ones worthless. */
export async function retireEmailTokens(executor: Executor, customerId: string, purpose: EmailTokenPurpose, now: Date) {
  await executor
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.customerId, customerId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}
