import type { SupportDeps } from '../../support-deps.js';
import { type ClaimedInbound, findStaleInbound } from '../email.repository.js';
import { processClaimedInbound, processInbound } from './process-inbound.js';

export type InboundProcessor = {
  /** Processes a committed message soon, on this node. */
  enqueue(id: string): void;
  /** Processes a message this node stored already claimed, without reading it back. */
  enqueueClaimed(claimed: ClaimedInbound): void;
  /** Resolves when nothing is waiting or running (tests and benchmarks). */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Runs the pipeline right after each commit, a few messages at a time, and sweeps up what a
 * stopped node left behind: the stored mail is the queue, so nothing that was acknowledged is lost.
 */
export function startInboundProcessor(deps: SupportDeps, options: { concurrency?: number; sweepEveryMs?: number } = {}): InboundProcessor {
  const concurrency = options.concurrency ?? 16;
  const waiting: Array<string | ClaimedInbound> = [];
  const queued = new Set<string>();
  let active = 0;
  let isStopped = false;
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (active === 0 && waiting.length === 0) {
      for (const wake of idleWaiters) wake();
      idleWaiters = [];
    }
  };
  const pump = () => {
    while (!isStopped && active < concurrency && waiting.length > 0) {
      const next = waiting.shift() as string | ClaimedInbound;
      const id = typeof next === 'string' ? next : next.id;
      active += 1;
      (typeof next === 'string' ? processInbound(deps, next) : processClaimedInbound(deps, next))
        .catch(() => undefined)
        .finally(() => {
          active -= 1;
          queued.delete(id);
          pump();
          settle();
        });
    }
    settle();
  };
  const enqueue = (item: string | ClaimedInbound) => {
    const id = typeof item === 'string' ? item : item.id;
    if (isStopped || queued.has(id)) return;
    queued.add(id);
    waiting.push(item);
    pump();
  };

  let isSweeping = false;
  const sweep = async () => {
    if (isSweeping || isStopped) return;
    isSweeping = true;
    try {
      const stale = await findStaleInbound(deps.db, new Date(deps.clock.now().getTime() - 15_000), 200);
      for (const id of stale) enqueue(id);
    } catch (error) {
      deps.logger.warn({ err: error }, 'inbound email sweep failed');
    } finally {
      isSweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), options.sweepEveryMs ?? 5_000);
  timer.unref();
  void sweep();

  return {
    enqueue,
    enqueueClaimed: enqueue,
    idle: () =>
      new Promise<void>((resolve) => {
        if (active === 0 && waiting.length === 0) resolve();
        else idleWaiters.push(resolve);
      }),
    async stop() {
      isStopped = true;
      clearInterval(timer);
      waiting.length = 0;
      while (active > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      settle();
    },
  };
}
