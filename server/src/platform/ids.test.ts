import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './ids.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisecondsOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('time-ordered ids', () => {
  it('are version 7 UUIDs carrying the time they were made, each one different', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1_000 }, () => timeOrderedUuid());
    const after = Date.now();
    for (const id of ids) {
      expect(id).toMatch(uuidV7);
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by the millisecond they were made, whatever the clock reads', () => {
    const times = [0, 1, 255, 256, 1_798_000_000_000, 1_798_000_000_001, 2 ** 48 - 1];
    const ids = times.map((time) => timeOrderedUuid(time));
    expect(ids.map(millisecondsOf)).toEqual(times);
    expect([...ids].sort()).toEqual(ids);
  });
});
