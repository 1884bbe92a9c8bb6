import type { CurrencyCode, Transfer } from '@okpay/contracts';
import { formatMinorUnits } from '@okpay/contracts';
import type { AppError, Config, Transaction } from '../../platform/index.js';
import { publishEvent, sqlState } from '../../platform/index.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { FrozenAccountError, ledgerErrorFrom } from '../ledger/post-entry.js';
import { maxAmountPerTransaction } from '../limits.js';
import { WalletError } from '../wallet.errors.js';
import { insertTransfer, type TransferOutcome } from './transfers.repository.js';

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

/** The refusal of an amount above the single-transaction limit, if it is. */
export function amountLimitRefusal(amount: number, currency: CurrencyCode): AppError | undefined {
  const limit = maxAmountPerTransaction[currency];
  return amount > limit ? WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, currency)} ${currency}` }) : undefined;
}

/**
 * Moves money to another OKPay customer inside the caller's transaction. One database call
 * (okpay_transfer) finds the recipient, posts the balanced entry and writes the transfer and both
 * customers' history rows, so they commit together or not at all.
 */
export async function sendTransfer(tx: Transaction, input: TransferInput): Promise<Transfer> {
  const tooLarge = amountLimitRefusal(input.amount, input.currency);
  if (tooLarge) throw tooLarge;
  let row: TransferOutcome;
  try {
    row = await insertTransfer(tx, {
      senderId: input.senderId,
      recipient: input.recipient,
      amount: input.amount,
      currency: input.currency,
      note: input.note ?? null,
      at: input.at,
    });
  } catch (error) {
    if (sqlState(error) === 'OKP10') throw WalletError('recipient_not_found');
    if (sqlState(error) === 'OKP11') throw WalletError('transfer_to_self');
    const mapped = ledgerErrorFrom(error);
    if (mapped instanceof FrozenAccountError) {
      throw mapped.customerId === input.senderId ? WalletError('account_frozen') : WalletError('recipient_cannot_receive');
    }
    throw mapped;
  }
  await publishEvent(tx, {
    type: 'wallet.transfer.sent',
    subject: { type: 'transfer', id: row.transferId },
    payload: {
      transferId: row.transferId,
      senderId: input.senderId,
      recipientId: row.recipientId,
      amount: input.amount,
      currency: input.currency,
    },
  });
  // Money received can trip the unverified-inflow rule; the freeze commits with the transfer.
  await applyUnverifiedInflowRule(tx, input.risk, row.recipientId, input.at);
  return transferView(row, input);
}

/** The transfer as its sender sees it: the same shape whichever path made it. */
export function transferView(
  row: Pick<TransferOutcome, 'transferId' | 'transactionId' | 'recipientName' | 'recipientEmail' | 'recipientPhone'>,
  input: Pick<TransferInput, 'recipient' | 'amount' | 'currency' | 'note' | 'at'>,
): Transfer {
  return {
    id: row.transferId,
    status: 'succeeded',
    amount: { amount: input.amount, currency: input.currency },
    recipient: {
      displayName: row.recipientName,
      maskedContact: input.recipient.email ? maskEmail(row.recipientEmail) : maskPhone(row.recipientPhone ?? ''),
    },
    note: input.note ?? null,
    transactionId: row.transactionId,
    createdAt: input.at.toISOString(),
  };
}
