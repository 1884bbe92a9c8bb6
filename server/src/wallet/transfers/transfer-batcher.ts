import { type Logger, sqlState } from '../../platform/index.js';
import type { StoredResponse } from '../idempotency/idempotency.js';
import { WalletError } from '../wallet.errors.js';
import { type BatchedTransfer, sendTransferBatch, type TransferAnswer, type TransferBatchDeps } from './send-transfer-batch.js';

export type TransferBatcher = {
  /** Sends the transfer with whatever else is waiting; resolves once its batch has committed. */
  send(transfer: BatchedTransfer): Promise<StoredResponse & { isReplay: boolean }>;
  /** Resolves when everything sent so far has been answered. */
  drain(): Promise<void>;
};

export type TransferBatcherOptions = {
  /** Transfers in one transaction at most: enough for a burst, few enough that no row lock is held long. */
  maxBatch?: number;
  /** Batches in flight at once: one can run while the one before it waits for its commit. */
  maxInFlight?: number;
};

type Waiting = { transfer: BatchedTransfer; resolve(answer: StoredResponse & { isReplay: boolean }): void; reject(error: unknown): void };

/**
 * Group commit for transfers, one per node: a transfer that arrives while the batches in flight
 * are running waits and goes into the next one, so N concurrent transfers cost a few transactions
 * and commits instead of N, and more clients make each commit carry more. Every caller hears its
 * answer only after its batch has committed (a 2xx still means durable). A batch the database
 * refuses as a whole (a lock wait that ran out, a deadlock with another node's batch, a lost
 * connection) is tried again one transfer at a time, which their keys make safe: a transfer that
 * did commit answers from its stored response.
 */
export function createTransferBatcher(deps: TransferBatchDeps & { logger: Logger }, options: TransferBatcherOptions = {}): TransferBatcher {
  const maxBatch = options.maxBatch ?? 128;
  const maxInFlight = options.maxInFlight ?? 2;
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let isScheduled = false;
  const drained: Array<() => void> = [];

  const settle = (entry: Waiting, answer: TransferAnswer) => {
    if ('error' in answer) entry.reject(answer.error);
    else entry.resolve(answer.response);
  };

  const runAlone = async (entry: Waiting) => {
    try {
      const [answer] = await sendTransferBatch(deps, [entry.transfer]);
      if (!answer) throw new Error('a transfer lost its answer');
      settle(entry, answer);
    } catch (error) {
      // A duplicate of a request still running elsewhere waited out its bound: it hears 409, as before.
      entry.reject(sqlState(error) === '55P03' ? WalletError('idempotency_key_in_progress') : error);
    }
  };

  const run = async (batch: Waiting[]) => {
    if (batch.length === 1 && batch[0]) return runAlone(batch[0]);
    let answers: TransferAnswer[];
    try {
      answers = await sendTransferBatch(
        deps,
        batch.map((entry) => entry.transfer),
      );
    } catch (error) {
      deps.logger.warn({ err: error, transfers: batch.length }, 'a transfer batch failed as a whole; sending its transfers one at a time');
      for (const entry of batch) await runAlone(entry);
      return;
    }
    batch.forEach((entry, index) => {
      const answer = answers[index];
      if (answer) settle(entry, answer);
      else entry.reject(new Error('a transfer lost its answer'));
    });
  };

  const flush = () => {
    isScheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      // What waits is shared among the free slots, so one batch runs while another commits.
      const size = Math.min(maxBatch, Math.ceil(waiting.length / (maxInFlight - inFlight)));
      const batch = waiting.slice(0, size);
      waiting = waiting.slice(batch.length);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        schedule();
        if (inFlight === 0 && waiting.length === 0) for (const resolve of drained.splice(0)) resolve();
      });
    }
  };

  // Transfers that arrive in the same turn of the event loop share a batch.
  const schedule = () => {
    if (isScheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    isScheduled = true;
    setImmediate(flush);
  };

  return {
    send(transfer) {
      return new Promise((resolve, reject) => {
        waiting.push({ transfer, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => drained.push(resolve));
    },
  };
}
