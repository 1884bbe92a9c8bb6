import type { Customer, Locale } from '@okpay/contracts';
import type { customers } from './identity.tables.js';

export type CustomerRow = typeof customers.$inferSelect;

export function toCustomerView(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    phone: row.phone,
    locale: row.locale as Locale,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
