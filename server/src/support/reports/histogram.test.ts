import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCountsText, addTo, bucketOf, exactPercentile, type Histogram, histogramPercentile } from './histogram.js';

describe('duration histograms', () => {
  it('computes exact percentiles the way percentile_cont does', () => {
    expect(exactPercentile([60, 120, 300], 0.5)).toBe(120);
    expect(exactPercentile([60, 120, 300, 600], 0.5)).toBe(210);
    expect(exactPercentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
    expect(exactPercentile([], 0.5)).toBeNull();
  });

  it('adds bucket counts read from the text of an integer array', () => {
    const histogram: Histogram = new Map([[1, 2]]);
    addCountsText(histogram, '{0,3,0,12,-1}');
    addCountsText(histogram, '{}');
    expect([...histogram.entries()].sort(([left], [right]) => left - right)).toEqual([
      [1, 5],
      [3, 12],
      [4, -1],
    ]);
  });

  it('puts values under a second in the first bucket and never past the last', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.4)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(90 * 86_400)).toBe(107);
  });

  it('reads a percentile from merged buckets within one bucket (15 %) of the exact one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 * 86_400 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.5, 0.9, 0.95),
        (values, p) => {
          // Split in two and merge, as two days' rollups are merged into a range.
          const first: Histogram = new Map();
          const second: Histogram = new Map();
          for (const [index, value] of values.entries()) addTo(index % 2 ? first : second, bucketOf(value), 1);
          for (const [bucket, count] of second) addTo(first, bucket, count);
          const sorted = [...values].sort((left, right) => left - right);
          const exact = exactPercentile(sorted, p) as number;
          const estimate = histogramPercentile(first, p) as number;
          // The estimate lies in the bucket of a neighbouring value, so within one bucket's width of the exact rank.
          const below = sorted[Math.floor(p * (sorted.length - 1))] as number;
          const above = sorted[Math.ceil(p * (sorted.length - 1))] as number;
          expect(estimate).toBeGreaterThanOrEqual(below / 1.15 - 1e-9);
          expect(estimate).toBeLessThanOrEqual(above * 1.15 + 1e-9);
          if (below === above) expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.15);
        },
      ),
      { seed: 20_261_204, numRuns: 200 },
    );
  });
});
