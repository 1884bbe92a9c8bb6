import type { CustomerSecurity, FreezeReason, Locale } from '@okpay/contracts';
import type pg from 'pg';
import { describeFreeze, describeVerificationLevel } from './customer-texts.js';
import { findLatestVerifications, toSubmissionView, verificationLevel } from './verification-status.js';

type Queryable = pg.Pool | pg.PoolClient;

/** The customer's Security page: active freezes in plain words (never the internal note) and KYC status. */
export async function getCustomerSecurity(db: Queryable, customerId: string, locale: Locale): Promise<CustomerSecurity> {
  const freezes = await db.query<{ id: string; reason: FreezeReason; created_at: Date }>(
    'SELECT id, reason, created_at FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL ORDER BY created_at, id',
    [customerId],
  );
  const latest = (await findLatestVerifications(db, [customerId])).get(customerId);
  const level = verificationLevel(latest);
  return {
    isFrozen: freezes.rows.length > 0,
    freezes: freezes.rows.map((row) => ({
      id: row.id,
      reason: row.reason,
      since: row.created_at.toISOString(),
      ...describeFreeze(row.reason, locale),
    })),
    verification: {
      level,
      message: describeVerificationLevel(level, locale),
      latest: latest ? toSubmissionView(latest) : null,
    },
  };
}
