import type pg from 'pg';
import PgBoss from 'pg-boss';
import { isDatabaseUnavailable } from './db/errors.js';
import type { Logger } from './logger.js';

export type JobHandler<T> = (data: T) => Promise<void>;
export type BatchJobHandler<T> = (data: T[]) => Promise<Array<Error | null>>;

export type Jobs = {
  /**
   * Queues a job; durable once this returns, or, given a transaction's client, exactly when that
   * transaction commits.
   */
  send<T extends object>(
    queue: string,
    data: T,
    options?: { startAfterSeconds?: number; singletonKey?: string; retryLimit?: number; retryDelaySeconds?: number; tx?: pg.PoolClient },
  ): Promise<void>;
  /** Queues many jobs in one statement, each as `send` would (durable once this returns). */
  sendMany<T extends object>(
    queue: string,
    jobs: Array<{ data: T; singletonKey?: string }>,
    options?: { retryLimit?: number; retryDelaySeconds?: number },
  ): Promise<void>;
  work<T extends object>(queue: string, handler: JobHandler<T>): Promise<void>;
  /**
   * Takes up to `batchSize` jobs at a time and hands their data to the handler at once, which
   * answers each job's outcome in the same order: null when done, an error to retry that job alone
   * (with its own backoff and retry limit), as if it had been handled by itself.
   */
  workBatch<T extends object>(queue: string, batchSize: number, handler: BatchJobHandler<T>): Promise<void>;
  /**
   * Runs the handler on a cron schedule, once across all nodes per run. Its worker looks for a
   * due run every 10 s (a queue that takes sent jobs looks every second): a minute's run may start
   * up to 10 s late, and an idle node does not poll these queues every second.
   */
  schedule(queue: string, cron: string, handler: JobHandler<Record<string, never>>): Promise<void>;
  stop(): Promise<void>;
};

export type JobsOptions = { url: string; logger: Logger; pollingIntervalSeconds?: number; poolSize?: number };

/** How often a cron queue's worker looks for a due run. */
const scheduledPollingIntervalSeconds = 10;

/** Durable background work on pg-boss: multi-node safe, no extra service. */
export async function startJobs(options: JobsOptions): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    schema: 'pgboss',
    application_name: 'okpay-jobs',
  });
  let isStopping = false;
  let unavailableReportedAt = 0;
  boss.on('error', (error) => {
    // Connections cut by our own shutdown are expected, not errors worth an operator's attention.
    if (isStopping) return options.logger.debug({ err: error }, 'job queue error');
    // While the database is away every worker's poll fails: say so once every 30 s, not each second.
    if (isDatabaseUnavailable(error)) {
      if (Date.now() - unavailableReportedAt < 30_000) return;
      unavailableReportedAt = Date.now();
      return options.logger.warn({ err: error }, 'job queue cannot reach the database; jobs wait until it is back');
    }
    options.logger.error({ err: error }, 'job queue error');
  });
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (queue: string) => {
    if (created.has(queue)) return;
    await boss.createQueue(queue).catch(() => undefined);
    created.add(queue);
  };
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  // Work queued on this node wakes this node's worker at once instead of waiting for the next poll.
  const workers = new Map<string, string>();
  /** A worker handing the queue's jobs to the handler one at a time; answers its id. */
  const workOneByOne = async <T extends object>(queue: string, pollSeconds: number, handler: JobHandler<T>) => {
    await ensureQueue(queue);
    return boss.work(queue, { pollingIntervalSeconds: pollSeconds, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data as T);
    });
  };
  return {
    async send(queue, data, sendOptions) {
      await ensureQueue(queue);
      await boss.send(queue, data, {
        retryLimit: sendOptions?.retryLimit ?? 8,
        retryDelay: sendOptions?.retryDelaySeconds ?? 5,
        retryBackoff: true,
        ...(sendOptions?.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        ...(sendOptions?.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
        ...(sendOptions?.tx ? { db: transactionExecutor(sendOptions.tx) } : {}),
      });
      const worker = workers.get(queue);
      // A job sent in a transaction is not there until it commits; the worker's next poll finds it.
      if (worker && !sendOptions?.startAfterSeconds && !sendOptions?.tx) boss.notifyWorker(worker);
    },
    async sendMany(queue, jobs, sendOptions) {
      if (jobs.length === 0) return;
      await ensureQueue(queue);
      await boss.insert(
        jobs.map((job) => ({
          name: queue,
          data: job.data,
          retryLimit: sendOptions?.retryLimit ?? 8,
          retryDelay: sendOptions?.retryDelaySeconds ?? 5,
          retryBackoff: true,
          ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
        })),
      );
      const worker = workers.get(queue);
      if (worker) boss.notifyWorker(worker);
    },
    async work(queue, handler) {
      workers.set(queue, await workOneByOne(queue, pollingIntervalSeconds, handler));
    },
    async workBatch(queue, batchSize, handler) {
      await ensureQueue(queue);
      const worker = await boss.work(queue, { pollingIntervalSeconds, batchSize }, async (jobs) => {
        const outcomes = await handler(jobs.map((job) => job.data as never));
        // A failed job goes back alone; the rest of the batch completes when this returns.
        const failed = jobs.flatMap((job, index) => {
          const error = outcomes[index];
          return error ? [boss.fail(queue, job.id, { message: error.message })] : [];
        });
        await Promise.all(failed);
      });
      workers.set(queue, worker);
    },
    async schedule(queue, cron, handler) {
      await workOneByOne(queue, scheduledPollingIntervalSeconds, handler);
      await boss.schedule(queue, cron);
    },
    async stop() {
      isStopping = true;
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}

/** pg-boss runs its insert through this, inside the caller's transaction. */
function transactionExecutor(client: pg.PoolClient) {
  return { executeSql: async (text: string, values?: unknown[]) => client.query(text, values) };
}
