import type { Card } from '@okpay/contracts';
import type { CardRow } from './cards.repository.js';

/** The customer sees the last four digits only: no BIN, token or fingerprint (PCI DSS 3.4.1). */
export function toCardView(row: CardRow): Card {
  return {
    id: row.id,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.expMonth,
    expYear: row.expYear,
    holderName: row.holderName,
    createdAt: row.createdAt.toISOString(),
  };
}
