import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createGroupCommit, registerGroupCommitMetrics } from './group-commit.js';
import { createLogger } from './logger.js';

const logger = createLogger('silent');

/** A commit that takes a while, so what arrives meanwhile has to wait for the next batch. */
function slowCommit(batches: number[][], fails?: (items: number[]) => boolean) {
  return async (items: number[]) => {
    batches.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (fails?.(items)) throw new Error('refused as a whole');
    return items.map((item) => item * 10);
  };
}

describe('group commit', () => {
  it('sends what arrives while a batch commits as the next batch, and answers each caller with its own answer', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches) });
    const first = group.send(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rest = [2, 3, 4, 5].map((item) => group.send(item));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('counts the items of each batch for /metrics, by kind of work', async () => {
    const registry = new Registry();
    registerGroupCommitMetrics(registry);
    registerGroupCommitMetrics(registry);
    const group = createGroupCommit({ name: 'metrics-test', logger, commit: slowCommit([]) });
    const first = group.send(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, group.send(2), group.send(3), group.send(4)]);
    const text = await registry.metrics();
    expect(text).toContain('okpay_group_commit_batch_size_count{name="metrics-test"} 2');
    expect(text).toContain('okpay_group_commit_batch_size_sum{name="metrics-test"} 4');
    expect(text).toContain('okpay_group_commit_batch_size_bucket{le="2",name="metrics-test"} 1');
  });

  it('puts no more than its largest batch in one commit', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches), maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((item) => group.send(item)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('tries the items of a batch refused as a whole one at a time, so only the bad one fails', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches, (items) => items.includes(13)) });
    const settled = await Promise.allSettled([11, 12, 13, 14].map((item) => group.send(item)));
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([110, 120, 'failed', 140]);
    expect(batches).toEqual([[11, 12, 13, 14], [11], [12], [13], [14]]);
  });

  it('shares what waits among the batches it may run at once', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches), maxInFlight: 2 });
    await Promise.all([1, 2, 3, 4].map((item) => group.send(item)));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('starts a further batch beside one in flight only once enough items wait for it', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches), maxInFlight: 2, overlapFrom: 3 });
    // Five at once fill one batch of three, not two: they go together.
    const together = [1, 2, 3, 4, 5].map((item) => group.send(item));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // While that batch commits, two waiting are too few for the second slot; a third opens it.
    const two = [6, 7].map((item) => group.send(item));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    const third = group.send(8);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ]);
    expect(await Promise.all([...together, ...two, third])).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    // Six at once, with nothing in flight, fill both slots.
    await Promise.all([11, 12, 13, 14, 15, 16].map((item) => group.send(item)));
    expect(batches.slice(2)).toEqual([
      [11, 12, 13],
      [14, 15, 16],
    ]);
  });

  it('drains: resolves once everything sent has been answered', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({ name: 'test', logger, commit: slowCommit(batches) });
    const answers: number[] = [];
    for (const item of [1, 2, 3]) void group.send(item).then((answer) => answers.push(answer));
    await group.drain();
    expect(answers.sort()).toEqual([10, 20, 30]);
    await group.drain();
  });

  it('answers every caller of a batch with its error when the error may have come after the commit', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit({
      name: 'test',
      logger,
      commit: slowCommit(batches, () => true),
      retryAlone: (error) => (error as Error).message !== 'refused as a whole',
    });
    const settled = await Promise.allSettled([1, 2, 3].map((item) => group.send(item)));
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  describe('with a least interval between batches', () => {
    /** A commit that answers at once and notes when each batch started. */
    function quickCommit(batches: Array<{ items: number[]; at: number }>) {
      return async (items: number[]) => {
        batches.push({ items: [...items], at: performance.now() });
        return items.map((item) => item * 10);
      };
    }
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('gathers what comes soon after a batch started into the next one, which starts once the interval has passed', async () => {
      const batches: Array<{ items: number[]; at: number }> = [];
      const group = createGroupCommit({ name: 'test', logger, commit: quickCommit(batches), minIntervalMs: 60 });
      await group.send(1);
      const rest: Array<Promise<number>> = [];
      for (const item of [2, 3, 4]) {
        rest.push(group.send(item));
        await pause(5);
      }
      expect(await Promise.all(rest)).toEqual([20, 30, 40]);
      expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
      const [first, second] = batches;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(59);
    });

    it('sends an item that comes after a quiet spell at once', async () => {
      const batches: Array<{ items: number[]; at: number }> = [];
      const group = createGroupCommit({ name: 'test', logger, commit: quickCommit(batches), minIntervalMs: 60 });
      await group.send(1);
      await pause(80);
      const sentAt = performance.now();
      await group.send(2);
      expect(performance.now() - sentAt).toBeLessThan(40);
      expect(batches.map((batch) => batch.items)).toEqual([[1], [2]]);
    });

    it('drains what is waiting out the interval: resolves once it has been committed', async () => {
      const batches: Array<{ items: number[]; at: number }> = [];
      const group = createGroupCommit({ name: 'test', logger, commit: quickCommit(batches), minIntervalMs: 100 });
      await group.send(1);
      const second = group.send(2);
      await group.drain();
      expect(batches.map((batch) => batch.items)).toEqual([[1], [2]]);
      expect(await second).toBe(20);
    });

    it('does not hold a full batch for the rest of the interval', async () => {
      const batches: Array<{ items: number[]; at: number }> = [];
      const group = createGroupCommit({ name: 'test', logger, commit: quickCommit(batches), minIntervalMs: 5_000, maxBatch: 3 });
      await group.send(1);
      const second = group.send(2);
      await pause(5); // the window's timer is set
      const sentAt = performance.now();
      expect(await Promise.all([second, ...[3, 4].map((item) => group.send(item))])).toEqual([20, 30, 40]);
      expect(performance.now() - sentAt).toBeLessThan(1_000);
      expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
      await group.drain();
    });
  });
});
