import type { Card, CardBrand } from '@okpay/contracts';

export type CardRow = {
  id: string;
  customer_id: string;
  acquirer_token: string;
  brand: CardBrand;
  last4: string;
  exp_month: number;
  exp_year: number;
  holder_name: string;
  status: 'active' | 'removed';
  created_at: Date;
};

/** The customer sees the last four digits only: no BIN, token or fingerprint (PCI DSS 3.4.1). */
export function toCardView(row: CardRow): Card {
  return {
    id: row.id,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    holderName: row.holder_name,
    createdAt: row.created_at.toISOString(),
  };
}
