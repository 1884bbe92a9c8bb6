/** Rates are exact decimals with up to 10 places (numeric(24,10)); compared as scaled integers, never as floats. */
const scale = 10;

/** A rate as an integer of 10^-10 units. */
export function scaledRate(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0').slice(0, scale) || '0');
}

/** How far `to` moves from `from`, in percent with two decimals (rounded toward zero): "-99.99". */
export function changePercent(from: string, to: string): string {
  const before = scaledRate(from);
  const hundredths = ((scaledRate(to) - before) * 10_000n) / before;
  const sign = hundredths < 0n ? '-' : '';
  const size = hundredths < 0n ? -hundredths : hundredths;
  return `${sign}${size / 100n}.${(size % 100n).toString().padStart(2, '0')}`;
}

/** Whether one admin may make this change alone: within ±band % of the current rate, exactly. */
export function isWithinBand(from: string, to: string, bandPercent: number): boolean {
  const before = scaledRate(from);
  const difference = scaledRate(to) - before;
  const size = difference < 0n ? -difference : difference;
  return size * 100n <= before * BigInt(bandPercent);
}
