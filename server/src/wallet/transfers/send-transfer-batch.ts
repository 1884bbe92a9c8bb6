import type { CurrencyCode } from '@okpay/contracts';
import { type AppError, type Config, type Database, withTransaction } from '../../platform/index.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import type { IdempotencyClaim, StoredResponse } from '../idempotency/idempotency.js';
import { completeIdempotencyKeys } from '../idempotency/idempotency.repository.js';
import { WalletError } from '../wallet.errors.js';
import { amountLimitRefusal, transferView } from './send-transfer.js';
import { type BatchTransferOutcome, insertTransferBatch } from './transfers.repository.js';

/** One customer's transfer request, claimed under its Idempotency-Key (the claim's customer sends). */
export type BatchedTransfer = {
  claim: IdempotencyClaim;
  recipient: { email?: string; phone?: string };
  amount: number;
  currency: CurrencyCode;
  note?: string;
  at: Date;
  /** Renders a business refusal the way the error handler would, in the request's language. */
  renderError(error: AppError): StoredResponse;
};

/** The stored (or replayed) answer for the request, or a refusal that is not stored (the key is busy or reused). */
export type TransferAnswer = { response: StoredResponse & { isReplay: boolean } } | { error: AppError };

export type TransferBatchDeps = { db: Database; risk: Config['risk'] };

/** What okpay_transfer_batch refuses a transfer with. */
const transferRefusals = [
  'recipient_not_found',
  'transfer_to_self',
  'account_frozen',
  'recipient_cannot_receive',
  'insufficient_funds',
] as const;
type TransferRefusal = (typeof transferRefusals)[number];
const isTransferRefusal = (code: string): code is TransferRefusal => (transferRefusals as readonly string[]).includes(code);

const keyOf = (claim: IdempotencyClaim) => `${claim.customerId}\n${claim.key}`;

/**
 * Sends many customers' transfers in one transaction and one commit, each decided as if it ran
 * alone after the ones before it: a refusal refuses only its transfer, and every answer (success or
 * business refusal) is stored under its key in the same commit, like runIdempotent does for one.
 * A key used twice in the batch runs once; the repeat hears the same answer, as a replay.
 */
export async function sendTransferBatch(deps: TransferBatchDeps, transfers: readonly BatchedTransfer[]): Promise<TransferAnswer[]> {
  const firstOf = new Map<string, number>();
  const firsts: BatchedTransfer[] = [];
  for (const transfer of transfers) {
    if (firstOf.has(keyOf(transfer.claim))) continue;
    firstOf.set(keyOf(transfer.claim), firsts.length);
    firsts.push(transfer);
  }
  const answers = await withTransaction(deps.db.$client, async (tx) => {
    const early = firsts.map((transfer) => amountLimitRefusal(transfer.amount, transfer.currency));
    const outcomes = await insertTransferBatch(
      tx,
      firsts.map((transfer, index) => ({
        senderId: transfer.claim.customerId,
        key: transfer.claim.key,
        requestHash: transfer.claim.hash,
        recipient: transfer.recipient,
        amount: transfer.amount,
        currency: transfer.currency,
        note: transfer.note ?? null,
        at: transfer.at,
        refusal: early[index]?.code ?? null,
      })),
    );
    // Money received can trip the unverified-inflow rule; a freeze commits with the batch.
    const unverified = new Map<string, Date>();
    outcomes.forEach((outcome, index) => {
      const at = firsts[index]?.at;
      if (outcome.outcome !== 'succeeded' || outcome.isRecipientVerified || !at) return;
      const latest = unverified.get(outcome.recipientId);
      if (!latest || latest < at) unverified.set(outcome.recipientId, at);
    });
    for (const [recipientId, at] of unverified) await applyUnverifiedInflowRule(tx, deps.risk, recipientId, at);
    const answered = firsts.map((transfer, index) => answerOf(transfer, outcomes[index], early[index]));
    await completeIdempotencyKeys(
      tx,
      answered.flatMap((answer, index) => {
        const transfer = firsts[index];
        return transfer && 'response' in answer && !answer.response.isReplay
          ? [{ customerId: transfer.claim.customerId, key: transfer.claim.key, response: answer.response }]
          : [];
      }),
    );
    return answered;
  });
  return transfers.map((transfer) => {
    const position = firstOf.get(keyOf(transfer.claim)) ?? -1;
    const first = firsts[position];
    const answer = answers[position];
    if (!first || !answer) throw new Error('a batched transfer lost its answer');
    if (first === transfer) return answer;
    if (first.claim.hash !== transfer.claim.hash) return { error: WalletError('idempotency_key_reused') };
    return 'response' in answer ? { response: { ...answer.response, isReplay: true } } : answer;
  });
}

function answerOf(transfer: BatchedTransfer, outcome: BatchTransferOutcome | undefined, early: AppError | undefined): TransferAnswer {
  switch (outcome?.outcome) {
    case 'succeeded':
      return { response: { status: 201, body: transferView(outcome, transfer), isReplay: false } };
    case 'replay':
      return { response: { ...outcome.response, isReplay: true } };
    case 'reused':
      return { error: WalletError('idempotency_key_reused') };
    case 'in_progress':
      return { error: WalletError('idempotency_key_in_progress') };
    case 'refused': {
      const error = early?.code === outcome.code ? early : isTransferRefusal(outcome.code) ? WalletError(outcome.code) : undefined;
      if (!error) throw new Error(`okpay_transfer_batch refused with an unknown code ${outcome.code}`);
      return { response: { ...transfer.renderError(error), isReplay: false } };
    }
    default:
      throw new Error('okpay_transfer_batch returned no outcome');
  }
}
