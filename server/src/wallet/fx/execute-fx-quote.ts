import type { FxQuote } from '@okpay/contracts';
import { publishEvent, type Transaction } from '../../platform/index.js';
import { insertWalletTransaction } from '../history/history.repository.js';
import { customerAccountIds, systemAccountId } from '../ledger/ledger.repository.js';
import { FrozenAccountError, postEntry } from '../ledger/post-entry.js';
import { WalletError } from '../wallet.errors.js';
import { FxError } from './fx.errors.js';
import { findFxQuoteForUpdate, markFxQuoteExecuted } from './fx.repository.js';
import { toQuoteView } from './quote-view.js';

/**
 * Executes a quote once: the customer's source money goes to FX liquidity, liquidity pays the
 * target at the quoted rate, and the spread (mid value minus what the customer gets) is booked
 * as FX revenue. Five postings, balanced per currency.
 */
export async function executeFxQuote(tx: Transaction, input: { customerId: string; quoteId: string; at: Date }): Promise<FxQuote> {
  const quote = await findFxQuoteForUpdate(tx, input.customerId, input.quoteId);
  if (!quote) throw FxError('quote_not_found');
  if (quote.status === 'executed') throw FxError('quote_already_executed');
  if (quote.expiresAt.getTime() <= input.at.getTime()) throw FxError('quote_expired');

  const source = quote.sourceAmount;
  const target = quote.targetAmount;
  const midTarget = quote.midTargetAmount;
  const [customerSource = 0, customerTarget = 0] = await customerAccountIds(tx, [
    { customerId: input.customerId, currency: quote.sourceCurrency },
    { customerId: input.customerId, currency: quote.targetCurrency },
  ]);
  const liquiditySource = await systemAccountId(tx, 'fx_liquidity', quote.sourceCurrency);
  const liquidityTarget = await systemAccountId(tx, 'fx_liquidity', quote.targetCurrency);
  const revenueTarget = await systemAccountId(tx, 'fx_revenue', quote.targetCurrency);
  const spread = midTarget - target;
  let entryId: number;
  try {
    entryId = await postEntry(tx, {
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
  const executed = await markFxQuoteExecuted(tx, quote.id, input.at, entryId);
  await insertWalletTransaction(tx, {
    customerId: input.customerId,
    type: 'exchange',
    status: 'succeeded',
    amount: -source,
    currency: quote.sourceCurrency,
    counterAmount: target,
    counterCurrency: quote.targetCurrency,
    fxQuoteId: quote.id,
    journalEntryId: entryId,
    details: { rate: quote.clientRate, midRate: quote.midRate, spreadBps: quote.spreadBps },
    createdAt: input.at,
    completedAt: input.at,
  });
  await publishEvent(tx, {
    type: 'wallet.exchange.executed',
    subject: { type: 'fx_quote', id: quote.id },
    payload: {
      quoteId: quote.id,
      customerId: input.customerId,
      sourceAmount: source,
      sourceCurrency: quote.sourceCurrency,
      targetAmount: target,
      targetCurrency: quote.targetCurrency,
    },
  });
  return toQuoteView(executed, input.at);
}
