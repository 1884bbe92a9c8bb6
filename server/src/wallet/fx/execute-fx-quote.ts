import type { FxQuote } from '@okpay/contracts';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { customerAccountIds, systemAccountId } from '../ledger/accounts.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';
import { WalletError } from '../wallet.errors.js';
import { FxError } from './fx.errors.js';
import { type QuoteRow, toQuoteView } from './quote-view.js';

/**
 * Executes a quote once: the customer's source money goes to FX liquidity, liquidity pays the
 * target at the quoted rate, and the spread (mid value minus what the customer gets) is booked
 * as FX revenue. Five postings, balanced per currency.
 */
export async function executeFxQuote(tx: Tx, input: { customerId: string; quoteId: string; at: Date }): Promise<FxQuote> {
  const found = await tx.client.query<QuoteRow & { customer_id: string }>(
    'SELECT * FROM fx_quotes WHERE id = $1 AND customer_id = $2 FOR UPDATE',
    [input.quoteId, input.customerId],
  );
  const quote = found.rows[0];
  if (!quote) throw FxError('quote_not_found');
  if (quote.status === 'executed') throw FxError('quote_already_executed');
  if (quote.expires_at.getTime() <= input.at.getTime()) throw FxError('quote_expired');

  const source = Number(quote.source_amount);
  const target = Number(quote.target_amount);
  const midTarget = Number(quote.mid_target_amount);
  const [customerSource = 0, customerTarget = 0] = await customerAccountIds(tx.client, [
    { customerId: input.customerId, currency: quote.source_currency },
    { customerId: input.customerId, currency: quote.target_currency },
  ]);
  const liquiditySource = await systemAccountId(tx.client, 'fx_liquidity', quote.source_currency);
  const liquidityTarget = await systemAccountId(tx.client, 'fx_liquidity', quote.target_currency);
  const revenueTarget = await systemAccountId(tx.client, 'fx_revenue', quote.target_currency);
  const spread = midTarget - target;
  let entryId: number;
  try {
    entryId = await postEntry(tx.client, {
      kind: 'exchange',
      reference: `fx_quote:${quote.id}`,
      postings: [
        { accountId: customerSource, amount: -source },
        { accountId: liquiditySource, amount: source },
        { accountId: liquidityTarget, amount: -midTarget },
        ...(spread > 0 ? [{ accountId: revenueTarget, amount: spread }] : []),
        { accountId: customerTarget, amount: target },
      ],
    });
  } catch (error) {
    if (error instanceof FrozenAccountError) throw WalletError('account_frozen');
    throw error;
  }
  const updated = await tx.client.query<QuoteRow>(
    "UPDATE fx_quotes SET status = 'executed', executed_at = $2, journal_entry_id = $3 WHERE id = $1 RETURNING *",
    [quote.id, input.at, entryId],
  );
  await tx.client.query(
    `INSERT INTO wallet_transactions (customer_id, type, status, amount, currency, counter_amount, counter_currency,
                                      fx_quote_id, journal_entry_id, details, created_at, completed_at)
     VALUES ($1, 'exchange', 'succeeded', $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [
      input.customerId,
      -source,
      quote.source_currency,
      target,
      quote.target_currency,
      quote.id,
      entryId,
      JSON.stringify({ rate: quote.client_rate, midRate: quote.mid_rate, spreadBps: quote.spread_bps }),
      input.at,
    ],
  );
  await publishEvent(tx.client, {
    type: 'wallet.exchange.executed',
    subject: { type: 'fx_quote', id: quote.id },
    payload: {
      quoteId: quote.id,
      customerId: input.customerId,
      sourceAmount: source,
      sourceCurrency: quote.source_currency,
      targetAmount: target,
      targetCurrency: quote.target_currency,
    },
  });
  const row = updated.rows[0];
  if (!row) throw new Error('quote update returned nothing');
  return toQuoteView(row, input.at);
}
