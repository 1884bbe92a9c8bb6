import type { CustomerSecurity, Locale } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { findLatestVerifications, listActiveFreezes } from './compliance.repository.js';
import { describeFreeze, describeVerificationLevel } from './customer-texts.js';
import { toSubmissionView, verificationLevel } from './verification-status.js';

/** The customer's Security page: active freezes in plain words (never the internal note) and KYC status. */
export async function getCustomerSecurity(db: Queryable, customerId: string, locale: Locale): Promise<CustomerSecurity> {
  const freezes = await listActiveFreezes(db, customerId);
  const latest = (await findLatestVerifications(db, [customerId])).get(customerId);
  const level = verificationLevel(latest);
  return {
    isFrozen: freezes.length > 0,
    freezes: freezes.map((row) => ({
      id: row.id,
      reason: row.reason,
      since: row.createdAt.toISOString(),
      ...describeFreeze(row.reason, locale),
    })),
    verification: {
      level,
      message: describeVerificationLevel(level, locale),
      latest: latest ? toSubmissionView(latest) : null,
    },
  };
}
