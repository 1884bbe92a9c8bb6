import type { CurrencyCode } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';

/** What okpay_transfer answers: the rows it wrote and who received the money. */
export type TransferOutcome = {
  transferId: string;
  transactionId: string;
  recipientId: string;
  recipientName: string;
  recipientEmail: string;
  recipientPhone: string | null;
};

/**
 * One database call (okpay_transfer, a prepared statement) finds the recipient, opens accounts in
 * (customer, currency) order, posts the balanced entry and writes the transfer and both customers'
 * history rows. It raises OKP10 (no such recipient), OKP11 (to oneself) and the ledger's SQLSTATEs.
 */
export async function insertTransfer(
  db: Queryable,
  input: {
    senderId: string;
    recipient: { email?: string; phone?: string };
    amount: number;
    currency: CurrencyCode;
    note: string | null;
    at: Date;
  },
): Promise<TransferOutcome> {
  const result = await db.$client.query<{
    transfer_id: string;
    transaction_id: string;
    recipient_id: string;
    recipient_name: string;
    recipient_email: string;
    recipient_phone: string | null;
  }>({
    name: 'okpay_transfer',
    text: 'SELECT * FROM okpay_transfer($1, $2, $3, $4, $5, $6, $7)',
    values: [
      input.senderId,
      input.recipient.email ?? null,
      input.recipient.phone ?? null,
      input.amount,
      input.currency,
      input.note,
      input.at,
    ],
  });
  const row = result.rows[0];
  if (!row) throw new Error('okpay_transfer returned nothing');
  return {
    transferId: row.transfer_id,
    transactionId: row.transaction_id,
    recipientId: row.recipient_id,
    recipientName: row.recipient_name,
    recipientEmail: row.recipient_email,
    recipientPhone: row.recipient_phone,
  };
}
