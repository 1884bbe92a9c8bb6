import { Histogram, type Registry } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Items per batch by kind of work (`message`, `transfer`, …), for /metrics: how much each
 * statement and commit carries (a batch of one means no company; the largest, a full batch).
 * One for the process; each node's registry shows it.
 */
const batchSizeMetric = 'okpay_group_commit_batch_size';
const batchSizes = new Histogram({
  name: batchSizeMetric,
  help: 'Items per group-commit batch by kind of work',
  labelNames: ['name'],
  buckets: [1, 2, 4, 8, 16, 32, 64, 128],
  registers: [],
});

export function registerGroupCommitMetrics(registry: Registry): void {
  if (!registry.getSingleMetric(batchSizeMetric)) registry.registerMetric(batchSizes);
}

export type GroupCommit<Item, Answer> = {
  /** Sends the item with whatever else is waiting; resolves with its answer once its batch has committed. */
  send(item: Item): Promise<Answer>;
  /** Resolves when everything sent so far has been answered. */
  drain(): Promise<void>;
};

export type GroupCommitOptions<Item, Answer> = {
  /** What the log calls a batch of these. */
  name: string;
  logger: Logger;
  /** Commits one batch in one transaction; one answer per item, in order. */
  commit(items: Item[]): Promise<Answer[]>;
  /** Items in one batch at most: enough for a burst, few enough that no row lock is held long. */
  maxBatch?: number;
  /**
   * Batches in flight at once (1 by default). More overlap the commit of one batch with the work
   * of the next, but split what waits into smaller batches, each paying the fixed cost of a
   * statement and a commit: see overlapFrom.
   */
  maxInFlight?: number;
  /**
   * Items that must wait before a further batch starts beside those in flight (1 by default: any
   * item takes a free slot). What waits is split among as many slots as it fills this many times,
   * and always goes at once when nothing is in flight. On two cores a second transfer batch of 4
   * beside one of 4 costs almost twice the CPU per transfer and is slower (bench:ledger, 8
   * clients), while two of 16 are faster than one of 32: a threshold keeps small bursts in one
   * batch and overlaps only large ones.
   */
  overlapFrom?: number;
  /**
   * Whether a batch refused as a whole with this error is tried again one item at a time (always,
   * by default). Say no to errors after which the batch may have committed (a connection lost
   * while waiting for the answer) when the items cannot be sent twice safely: their callers then
   * hear the error.
   */
  retryAlone?: (error: unknown) => boolean;
  /**
   * Least time between the starts of two batches (0 by default: the next batch starts as soon as
   * a slot is free). Under a steady stream, items wait for the rest of this window and go together,
   * so each statement and commit carries more of them: bench:chat, 3,000 messages/s, about 7 a
   * batch without a window and 34 with 10 ms, a quarter less CPU per message. An item that comes
   * after a quieter spell than this goes at once, and a full batch does not wait.
   */
  minIntervalMs?: number;
};

type Waiting<Item, Answer> = { item: Item; resolve(answer: Answer): void; reject(error: unknown): void };

/**
 * Group commit, one per node and kind of work: an item that arrives while the batches in flight
 * are running waits and goes into the next one, so N concurrent requests cost a few transactions
 * and commits instead of N, and more clients make each commit carry more. With more than one batch
 * in flight, what waits is shared among the free slots (as many as it fills, see overlapFrom).
 * Every caller hears its answer only after its batch has committed. A batch the database refuses as a whole (a lock
 * wait that ran out, a deadlock with another node's batch, a lost connection) is tried again one
 * item at a time, so one bad item cannot take the others down; `commit` must make that safe (the
 * items carry idempotency keys, or the work is guarded so that a second try changes nothing).
 */
export function createGroupCommit<Item, Answer>(options: GroupCommitOptions<Item, Answer>): GroupCommit<Item, Answer> {
  const maxBatch = options.maxBatch ?? 128;
  const maxInFlight = options.maxInFlight ?? 1;
  const overlapFrom = Math.max(1, options.overlapFrom ?? 1);
  let waiting: Array<Waiting<Item, Answer>> = [];
  let inFlight = 0;
  /** How many of the free slots what waits should fill now. */
  const slotsToFill = () => {
    const slots = Math.min(maxInFlight - inFlight, Math.floor(waiting.length / overlapFrom));
    return inFlight === 0 && waiting.length > 0 ? Math.max(1, slots) : slots;
  };
  const minIntervalMs = options.minIntervalMs ?? 0;
  let lastStartAt = Number.NEGATIVE_INFINITY;
  let isScheduled = false;
  let windowTimer: NodeJS.Timeout | undefined;
  const drained: Array<() => void> = [];

  const commitAlone = async (entry: Waiting<Item, Answer>) => {
    try {
      const [answer] = await options.commit([entry.item]);
      if (answer === undefined) throw new Error(`a ${options.name} batch lost an answer`);
      entry.resolve(answer);
    } catch (error) {
      entry.reject(error);
    }
  };

  const run = async (batch: Array<Waiting<Item, Answer>>) => {
    batchSizes.observe({ name: options.name }, batch.length);
    if (batch.length === 1 && batch[0]) return commitAlone(batch[0]);
    let answers: Answer[];
    try {
      answers = await options.commit(batch.map((entry) => entry.item));
    } catch (error) {
      if (options.retryAlone && !options.retryAlone(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      options.logger.warn(
        { err: error, items: batch.length },
        `a ${options.name} batch failed as a whole; sending its items one at a time`,
      );
      for (const entry of batch) await commitAlone(entry);
      return;
    }
    batch.forEach((entry, index) => {
      const answer = answers[index];
      if (answer === undefined) entry.reject(new Error(`a ${options.name} batch lost an answer`));
      else entry.resolve(answer);
    });
  };

  const flush = () => {
    isScheduled = false;
    windowTimer = undefined;
    if (slotsToFill() === 0) return;
    const windowLeft = lastStartAt + minIntervalMs - performance.now();
    if (windowLeft > 0 && waiting.length < maxBatch) {
      isScheduled = true;
      windowTimer = setTimeout(flush, Math.ceil(windowLeft));
      return;
    }
    lastStartAt = performance.now();
    for (let slots = slotsToFill(); slots > 0; slots = slotsToFill()) {
      const size = Math.min(maxBatch, Math.ceil(waiting.length / slots));
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

  // Items that arrive in the same turn of the event loop share a batch.
  const schedule = () => {
    if (isScheduled || slotsToFill() === 0) return;
    isScheduled = true;
    setImmediate(flush);
  };

  return {
    send(item) {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (windowTimer && waiting.length >= maxBatch) {
          // A full batch need not wait for the window to end.
          clearTimeout(windowTimer);
          isScheduled = false;
          windowTimer = undefined;
        }
        schedule();
      });
    },
    drain() {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => drained.push(resolve));
    },
  };
}
