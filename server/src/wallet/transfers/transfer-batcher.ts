import { createGroupCommit, type Logger, sqlState } from '../../platform/index.js';
import type { StoredResponse } from '../idempotency/idempotency.js';
import { WalletError } from '../wallet.errors.js';
import { type BatchedTransfer, sendTransferBatch, type TransferBatchDeps } from './send-transfer-batch.js';

export type TransferBatcher = {
  /** Sends the transfer with whatever else is waiting; resolves once its batch has committed. */
  send(transfer: BatchedTransfer): Promise<StoredResponse & { isReplay: boolean }>;
  /** Resolves when everything sent so far has been answered. */
  drain(): Promise<void>;
};

/**
 * The node's group commit for transfers (see createGroupCommit): concurrent transfers go to the
 * database as batches (sendTransferBatch), each answered once its batch has committed. A batch
 * refused as a whole is sent again one transfer at a time, which the transfers' keys make safe: a
 * transfer that did commit answers from its stored response.
 */
export function createTransferBatcher(
  deps: TransferBatchDeps & { logger: Logger },
  options: { maxBatch?: number; maxInFlight?: number } = {},
): TransferBatcher {
  const batches = createGroupCommit({
    name: 'transfer',
    logger: deps.logger,
    commit: (transfers: BatchedTransfer[]) => sendTransferBatch(deps, transfers),
    ...options,
  });
  return {
    async send(transfer) {
      const answer = await batches.send(transfer).catch((error: unknown) => {
        // A duplicate of a request still running elsewhere waited out its bound: it hears 409, as before.
        throw sqlState(error) === '55P03' ? WalletError('idempotency_key_in_progress') : error;
      });
      if ('error' in answer) throw answer.error;
      return answer.response;
    },
    drain: () => batches.drain(),
  };
}
