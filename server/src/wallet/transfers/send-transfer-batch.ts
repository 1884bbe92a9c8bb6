import type { CurrencyCode } from '@okpay/contracts';
import { z } from 'zod';
import { type AppError, type Config, type Database, type Logger, sqlState, withTransaction } from '../../platform/index.js';
import { applyUnverifiedInflowRule } from '../compliance/risk-rules.js';
import type { IdempotencyClaim, StoredResponse } from '../idempotency/idempotency.js';
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

/**
 * The stored (or replayed) answer for the request, or a refusal that is not stored (the key is busy
 * or reused); a transfer made now says whether its recipient's identity is verified.
 */
export type TransferAnswer = { response: StoredResponse & { isReplay: boolean }; isRecipientVerified?: boolean } | { error: AppError };

export type TransferBatchDeps = { db: Database; risk: Config['risk']; logger?: Logger };

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
 * business refusal) is stored under its key in the same commit (okpay_transfer_batch stores them).
 * A key used twice in the batch runs once; the repeat hears the same answer, as a replay.
 *
 * `verifiedOnly` (the caller expects every recipient to have a verified identity): the batch is one
 * statement, its own transaction. If a recipient turns out not to be verified, nothing of that
 * statement stays, and the batch is sent again in a transaction that applies the
 * unverified-inflow rule to the money such recipients receive before it commits.
 */
export async function sendTransferBatch(
  deps: TransferBatchDeps,
  transfers: readonly BatchedTransfer[],
  options: { verifiedOnly?: boolean } = {},
): Promise<TransferAnswer[]> {
  const firstOf = new Map<string, number>();
  const firsts: BatchedTransfer[] = [];
  for (const transfer of transfers) {
    if (firstOf.has(keyOf(transfer.claim))) continue;
    firstOf.set(keyOf(transfer.claim), firsts.length);
    firsts.push(transfer);
  }
  const early = firsts.map((transfer) => amountLimitRefusal(transfer.amount, transfer.currency));
  const rows = firsts.map((transfer, index) => ({
    senderId: transfer.claim.customerId,
    key: transfer.claim.key,
    requestHash: transfer.claim.hash,
    recipient: transfer.recipient,
    amount: transfer.amount,
    currency: transfer.currency,
    note: transfer.note ?? null,
    at: transfer.at,
    refusal: early[index]?.code ?? null,
  }));
  const inTransaction = () =>
    withTransaction(deps.db.$client, async (tx) => {
      const outcomes = await insertTransferBatch(tx, rows, { verifiedOnly: false });
      // Money received can trip the unverified-inflow rule; a freeze commits with the batch.
      const unverified = new Map<string, Date>();
      outcomes.forEach((outcome, index) => {
        const at = firsts[index]?.at;
        if (outcome.outcome !== 'succeeded' || outcome.isRecipientVerified || !at) return;
        const latest = unverified.get(outcome.recipientId);
        if (!latest || latest < at) unverified.set(outcome.recipientId, at);
      });
      for (const [recipientId, at] of unverified) await applyUnverifiedInflowRule(tx, deps.risk, recipientId, at);
      return outcomes;
    });
  const outcomes = options.verifiedOnly
    ? await insertTransferBatch(deps.db, rows, { verifiedOnly: true }).catch((error: unknown) => {
        if (sqlState(error) !== 'OKP21') throw error;
        deps.logger?.debug({ transfers: rows.length }, 'a transfer batch pays an unverified recipient; sending it in a transaction');
        return inTransaction();
      })
    : await inTransaction();
  const answers = firsts.map((transfer, index) => answerOf(transfer, outcomes[index], early[index]));
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

/** What okpay_transfer_batch stores under a key: enough to say the same answer again. */
const storedAnswer = z.union([
  z.object({
    transfer: z.object({
      id: z.string(),
      transactionId: z.string(),
      recipientName: z.string(),
      // Only the contact the sender named the recipient by is kept.
      recipientEmail: z.string().nullable(),
      recipientPhone: z.string().nullable(),
      createdAt: z.string(),
    }),
  }),
  z.object({ refusal: z.string() }),
]);

/** A refusal as the request hears it: the amount limit with its figure, or the code okpay_transfer_batch decided. */
function refusalOf(code: string, early: AppError | undefined): AppError {
  if (early?.code === code) return early;
  if (isTransferRefusal(code)) return WalletError(code);
  throw new Error(`okpay_transfer_batch refused with an unknown code ${code}`);
}

/** The stored answer of a key said again, rendered for this request (a refusal in its language). */
function replayOf(transfer: BatchedTransfer, stored: StoredResponse, early: AppError | undefined): TransferAnswer {
  const parsed = storedAnswer.safeParse(stored.body);
  // A key answered before answers were stored as facts holds the response itself.
  if (!parsed.success) return { response: { ...stored, isReplay: true } };
  if ('refusal' in parsed.data) return { response: { ...transfer.renderError(refusalOf(parsed.data.refusal, early)), isReplay: true } };
  const made = parsed.data.transfer;
  const body = transferView(
    {
      transferId: made.id,
      transactionId: made.transactionId,
      recipientName: made.recipientName,
      recipientEmail: made.recipientEmail ?? '',
      recipientPhone: made.recipientPhone,
    },
    { ...transfer, at: new Date(made.createdAt) },
  );
  return { response: { status: 201, body, isReplay: true } };
}

function answerOf(transfer: BatchedTransfer, outcome: BatchTransferOutcome | undefined, early: AppError | undefined): TransferAnswer {
  switch (outcome?.outcome) {
    case 'succeeded':
      return {
        response: { status: 201, body: transferView(outcome, transfer), isReplay: false },
        isRecipientVerified: outcome.isRecipientVerified,
      };
    case 'replay':
      return replayOf(transfer, outcome.response, early);
    case 'reused':
      return { error: WalletError('idempotency_key_reused') };
    case 'in_progress':
      return { error: WalletError('idempotency_key_in_progress') };
    case 'refused':
      return { response: { ...transfer.renderError(refusalOf(outcome.code, early)), isReplay: false } };
    default:
      throw new Error('okpay_transfer_batch returned no outcome');
  }
}
