import type { Customer } from '@okpay/contracts';
import type { CustomerRow } from './identity.repository.js';

export function toCustomerView(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    phone: row.phone,
    phoneVerified: row.phone !== null && row.phoneVerifiedAt !== null,
    locale: row.locale,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
