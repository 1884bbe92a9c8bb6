import { describe, expect, it } from 'vitest';
import { within } from './within.js';

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('within', () => {
  it('answers what the promise settles to when it settles in time, and leaves no timer behind', async () => {
    const before = timers();
    expect(await within(Promise.resolve('answered'), 1_000, 'late')).toBe('answered');
    expect(timers()).toBe(before);
  });

  it('answers the fallback once the time has passed without the promise settling', async () => {
    const started = performance.now();
    expect(await within(new Promise<string>(() => {}), 50, 'late')).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes on a rejection that comes in time', async () => {
    const before = timers();
    await expect(within(Promise.reject(new Error('refused')), 1_000, 'late')).rejects.toThrow('refused');
    expect(timers()).toBe(before);
  });
});
