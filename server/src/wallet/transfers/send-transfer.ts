import type { CurrencyCode, Transfer } from '@okpay/contracts';
import { formatMinorUnits } from '@okpay/contracts';
import type { Config } from '../../platform/config.js';
import { sqlState } from '../../platform/db/errors.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { FrozenAccountError, ledgerErrorFrom } from '../ledger/post-entry.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';

export type TransferInput = {
  senderId: string;
  recipient: { email?: string; phone?: string };
  amount: number;
  currency: CurrencyCode;
  note?: string;
  at: Date;
  risk: Config['risk'];
};

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***${local.length > 1 ? local.slice(-1) : ''}@${domain}`;
}

export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : `***${phone.slice(-2)}`;
}

type TransferRow = {
  transfer_id: string;
  transaction_id: string;
  recipient_id: string;
  recipient_name: string;
  recipient_email: string;
  recipient_phone: string | null;
};

/**
 * Moves money to another OKPay customer inside the caller's transaction. One database call
 * (okpay_transfer) finds the recipient, posts the balanced entry and writes the transfer and both
 * customers' history rows, so they commit together or not at all.
 */
export async function sendTransfer(tx: Tx, input: TransferInput): Promise<Transfer> {
  const limit = maxAmountPerTransaction[input.currency];
  if (input.amount > limit)
    throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.currency)} ${input.currency}` });
  let row: TransferRow | undefined;
  try {
    const result = await tx.client.query<TransferRow>({
      name: 'okpay_transfer',
      text: 'SELECT * FROM okpay_transfer($1, $2, $3, $4, $5, $6, $7)',
      values: [
        input.senderId,
        input.recipient.email ?? null,
        input.recipient.phone ?? null,
        input.amount,
        input.currency,
        input.note ?? null,
        input.at,
      ],
    });
    row = result.rows[0];
  } catch (error) {
    if (sqlState(error) === 'OKP10') throw WalletError('recipient_not_found');
    if (sqlState(error) === 'OKP11') throw WalletError('transfer_to_self');
    const mapped = ledgerErrorFrom(error);
    if (mapped instanceof FrozenAccountError) {
      throw mapped.customerId === input.senderId ? WalletError('account_frozen') : WalletError('recipient_cannot_receive');
    }
    throw mapped;
  }
  if (!row) throw new Error('okpay_transfer returned nothing');
  await publishEvent(tx.client, {
    type: 'wallet.transfer.sent',
    subject: { type: 'transfer', id: row.transfer_id },
    payload: {
      transferId: row.transfer_id,
      senderId: input.senderId,
      recipientId: row.recipient_id,
      amount: input.amount,
      currency: input.currency,
    },
  });
  // Money received can trip the unverified-inflow rule; the freeze commits with the transfer.
  await applyUnverifiedInflowRule(tx, input.risk, row.recipient_id, input.at);
  return {
    id: row.transfer_id,
    status: 'succeeded',
    amount: { amount: input.amount, currency: input.currency },
    recipient: {
      displayName: row.recipient_name,
      maskedContact: input.recipient.email ? maskEmail(row.recipient_email) : maskPhone(row.recipient_phone ?? ''),
    },
    note: input.note ?? null,
    transactionId: row.transaction_id,
    createdAt: input.at.toISOString(),
  };
}
