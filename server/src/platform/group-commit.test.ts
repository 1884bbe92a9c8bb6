import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';
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
});
