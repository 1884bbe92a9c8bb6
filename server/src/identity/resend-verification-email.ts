import type { Deps, RateLimiter } from '../platform/index.js';
import { issueEmailToken } from './email-tokens.js';
import { emailVerificationTtlHours } from './identity.emails.js';
import { findCustomerById } from './identity.repository.js';
import { sendVerificationEmail } from './send-verification-email.js';

/** Sends a fresh verification link unless the email is verified already; counted against the account's budget. */
export async function resendVerificationEmail(deps: Deps, customerId: string, limiter: RateLimiter): Promise<void> {
  await limiter.consume(`verify:${customerId}`);
  const customer = await findCustomerById(deps.db, customerId);
  if (!customer || customer.emailVerifiedAt) return;
  const token = await issueEmailToken(deps.db, {
    customerId: customer.id,
    purpose: 'email_verification',
    now: deps.clock.now(),
    ttlMs: emailVerificationTtlHours * 3_600_000,
  });
  await sendVerificationEmail(deps, customer, token);
}
