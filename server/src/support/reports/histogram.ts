/**
 * Mergeable distributions of durations. Percentiles do not add up (the mean of daily p95s is not
 * the month's p95), so rollups keep counts per logarithmic bucket instead: bucket 0 holds values
 * under a second, bucket i ≥ 1 holds [1.15^(i-1), 1.15^i) seconds, the last one everything from
 * about 30 days up. Merging is adding counts; a percentile read from the buckets is within 15 % of
 * the value (interpolated inside its bucket). Small sets are answered exactly from the raw values.
 */
const growth = 1.15;
const logGrowth = Math.log(growth);
export const lastBucket = 107;

export function bucketOf(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.min(lastBucket, 1 + Math.floor(Math.log(seconds) / logGrowth + 1e-9));
}

function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1];
  return [growth ** (bucket - 1), growth ** bucket];
}

/** Counts per bucket. */
export type Histogram = Map<number, number>;

export function addTo(histogram: Histogram, bucket: number, count: number): void {
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
}

/** Adds bucket counts given as PostgreSQL's text of an integer array (`{0,3,0,…}`), skipping zeros. */
export function addCountsText(histogram: Histogram, text: string): void {
  let bucket = 0;
  let value = 0;
  let sign = 1;
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else if (code === 45) sign = -1;
    else {
      if (value !== 0) addTo(histogram, bucket, sign * value);
      bucket += 1;
      value = 0;
      sign = 1;
    }
  }
}

/**
 * The p-th percentile (0–1) with the same rank rule as PostgreSQL's percentile_cont (rank p·(n−1)),
 * located in its bucket and interpolated geometrically inside it.
 */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  const buckets = [...histogram.entries()].filter(([, count]) => count > 0).sort(([left], [right]) => left - right);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    if (rank < seen + count) {
      const [low, high] = bucketBounds(bucket);
      const within = count === 1 ? 0.5 : (rank - seen) / (count - 1);
      return bucket === 0 ? low + (high - low) * within : low * (high / low) ** within;
    }
    seen += count;
  }
  const [low] = bucketBounds(buckets.at(-1)?.[0] ?? 0);
  return low;
}

/** The p-th percentile of raw values, as PostgreSQL's percentile_cont computes it (linear between neighbours). */
export function exactPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (rank - below);
}
