import type { CurrencyCode, Transfer } from '@okpay/contracts';
import { formatMinorUnits } from '@okpay/contracts';
import type { Config } from '../../platform/config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import { customerAccountIds } from '../ledger/accounts.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';
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

type Recipient = { id: string; display_name: string; email: string; phone: string | null };

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***${local.length > 1 ? local.slice(-1) : ''}@${domain}`;
}

export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : `***${phone.slice(-2)}`;
}

async function findRecipient(tx: Tx, recipient: TransferInput['recipient']): Promise<Recipient | undefined> {
  const byEmail = recipient.email !== undefined;
  const result = await tx.client.query<Recipient>({
    name: byEmail ? 'okpay_recipient_by_email' : 'okpay_recipient_by_phone',
    text: byEmail
      ? 'SELECT id, display_name, email, phone FROM customers WHERE lower(email) = $1'
      : 'SELECT id, display_name, email, phone FROM customers WHERE phone = $1',
    values: [byEmail ? recipient.email?.toLowerCase() : recipient.phone],
  });
  return result.rows[0];
}

/**
 * Moves money to another OKPay customer in one database transaction: the journal entry, the
 * transfer and both customers' history rows commit together or not at all.
 */
export async function sendTransfer(tx: Tx, input: TransferInput): Promise<Transfer> {
  const limit = maxAmountPerTransaction[input.currency];
  if (input.amount > limit)
    throw WalletError('amount_too_large', { limit: `${formatMinorUnits(limit, input.currency)} ${input.currency}` });
  const recipient = await findRecipient(tx, input.recipient);
  if (!recipient) throw WalletError('recipient_not_found');
  if (recipient.id === input.senderId) throw WalletError('transfer_to_self');

  const [senderAccount = 0, recipientAccount = 0] = await customerAccountIds(tx.client, [
    { customerId: input.senderId, currency: input.currency },
    { customerId: recipient.id, currency: input.currency },
  ]);
  let entryId: number;
  try {
    entryId = await postEntry(tx.client, {
      kind: 'transfer',
      postings: [
        { accountId: senderAccount, amount: -input.amount },
        { accountId: recipientAccount, amount: input.amount },
      ],
    });
  } catch (error) {
    if (error instanceof FrozenAccountError) {
      throw error.accountId === senderAccount ? WalletError('account_frozen') : WalletError('recipient_cannot_receive');
    }
    throw error;
  }

  const sender = await tx.client.query<{ display_name: string }>({
    name: 'okpay_customer_name',
    text: 'SELECT display_name FROM customers WHERE id = $1',
    values: [input.senderId],
  });
  const transfer = await tx.client.query<{ id: string }>({
    name: 'okpay_insert_transfer',
    text: `INSERT INTO transfers (sender_id, recipient_id, amount, currency, note, journal_entry_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    values: [input.senderId, recipient.id, input.amount, input.currency, input.note ?? null, entryId, input.at],
  });
  const transferId = transfer.rows[0]?.id ?? '';
  const history = await tx.client.query<{ id: string }>({
    name: 'okpay_insert_transfer_history',
    text: `INSERT INTO wallet_transactions
             (customer_id, type, status, amount, currency, counterparty_customer_id, counterparty_name, note,
              transfer_id, journal_entry_id, created_at, completed_at)
           VALUES ($1, 'transfer_out', 'succeeded', $3, $4, $2, $5, $7, $8, $9, $10, $10),
                  ($2, 'transfer_in', 'succeeded', $11, $4, $1, $6, $7, $8, $9, $10, $10)
           RETURNING id`,
    values: [
      input.senderId,
      recipient.id,
      -input.amount,
      input.currency,
      recipient.display_name,
      sender.rows[0]?.display_name ?? '',
      input.note ?? null,
      transferId,
      entryId,
      input.at,
      input.amount,
    ],
  });
  // Money received can trip the unverified-inflow rule; the freeze commits with the transfer.
  await applyUnverifiedInflowRule(tx, input.risk, recipient.id, input.at);
  return {
    id: transferId,
    status: 'succeeded',
    amount: { amount: input.amount, currency: input.currency },
    recipient: {
      displayName: recipient.display_name,
      maskedContact: input.recipient.email ? maskEmail(recipient.email) : maskPhone(recipient.phone ?? ''),
    },
    note: input.note ?? null,
    transactionId: history.rows[0]?.id ?? '',
    createdAt: input.at.toISOString(),
  };
}
