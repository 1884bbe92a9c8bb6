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

/** One transfer of a batch, as okpay_transfer_batch takes it. */
export type BatchTransferRow = {
  senderId: string;
  key: string;
  requestHash: string;
  recipient: { email?: string; phone?: string };
  amount: number;
  currency: CurrencyCode;
  note: string | null;
  at: Date;
  /** A refusal decided before asking (an amount above the limit): the key is claimed and answered with it. */
  refusal: string | null;
};

/** What okpay_transfer_batch decided for one transfer (see the migration for the outcomes). */
export type BatchTransferOutcome =
  | (TransferOutcome & { outcome: 'succeeded'; isRecipientVerified: boolean })
  | { outcome: 'replay'; response: { status: number; body: unknown } }
  | { outcome: 'reused' | 'in_progress' }
  | { outcome: 'refused'; code: string };

/**
 * Many transfers in one database call, decided in order (okpay_transfer_batch, a prepared
 * statement): keys claimed, recipients found, accounts opened and locked in id order, balances,
 * postings, entries, transfers, history rows, outbox events and the keys' answers written with one
 * statement each. `verifiedOnly`: the call is its own transaction, refused as a whole (OKP21) if
 * it would pay a recipient whose identity is not verified.
 */
export async function insertTransferBatch(
  db: Queryable,
  rows: BatchTransferRow[],
  options: { verifiedOnly: boolean },
): Promise<BatchTransferOutcome[]> {
  const result = await db.$client.query<{
    outcome: string;
    transfer_id: string | null;
    transaction_id: string | null;
    recipient_id: string | null;
    recipient_name: string | null;
    recipient_email: string | null;
    recipient_phone: string | null;
    is_recipient_verified: boolean | null;
    response_status: number | null;
    response_body: unknown;
  }>({
    name: 'okpay_transfer_batch',
    text: 'SELECT * FROM okpay_transfer_batch($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::boolean)',
    values: [
      rows.map((row) => row.senderId),
      rows.map((row) => row.key),
      rows.map((row) => row.requestHash),
      rows.map((row) => row.recipient.email ?? null),
      rows.map((row) => (row.recipient.email ? null : (row.recipient.phone ?? null))),
      rows.map((row) => row.amount),
      rows.map((row) => row.currency),
      rows.map((row) => row.note),
      rows.map((row) => row.at),
      rows.map((row) => row.refusal),
      options.verifiedOnly,
    ],
  });
  if (result.rows.length !== rows.length) throw new Error(`okpay_transfer_batch answered ${result.rows.length} of ${rows.length}`);
  return result.rows.map((row): BatchTransferOutcome => {
    switch (row.outcome) {
      case 'succeeded':
        return {
          outcome: 'succeeded',
          transferId: row.transfer_id ?? '',
          transactionId: row.transaction_id ?? '',
          recipientId: row.recipient_id ?? '',
          recipientName: row.recipient_name ?? '',
          recipientEmail: row.recipient_email ?? '',
          recipientPhone: row.recipient_phone,
          isRecipientVerified: row.is_recipient_verified === true,
        };
      case 'replay':
        return { outcome: 'replay', response: { status: row.response_status ?? 500, body: row.response_body } };
      case 'reused':
      case 'in_progress':
        return { outcome: row.outcome };
      default:
        return { outcome: 'refused', code: row.outcome };
    }
  });
}
