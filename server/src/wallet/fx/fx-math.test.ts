import { describe, expect, it } from 'vitest';
import { computeQuote, roundHalfEven, toDecimalString } from './fx-math.js';

describe('half-even rounding', () => {
  it.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [25n, 10n, 2n],
    [35n, 10n, 4n],
    [26n, 10n, 3n],
    [24n, 10n, 2n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
  ])('rounds %s/%s to %s', (numerator, denominator, expected) => {
    expect(roundHalfEven(numerator, denominator)).toBe(expected);
  });

  it('prints rates with fixed fraction digits', () => {
    expect(toDecimalString({ numerator: 1n, denominator: 3n }, 8)).toBe('0.33333333');
    expect(toDecimalString({ numerator: 71n, denominator: 10n }, 4)).toBe('7.1000');
  });
});

describe('FX quotes across exponents (JPY 0, CNY 2, KWD 3)', () => {
  const rates = { USD: '1', CNY: '7.1', JPY: '150', KWD: '0.307', EUR: '0.92' };
  const exponents = { USD: 2, CNY: 2, JPY: 0, KWD: 3, EUR: 2 };
  type Code = keyof typeof rates;

  it.each<[Code, Code, number, number, number, number, string]>([
    // from, to, source minor, spread bps, expected target minor, expected mid target minor, mid rate
    ['CNY', 'JPY', 10_000, 0, 2_113, 2_113, '21.12676056'], // 100.00 CNY → 2112.676… JPY → 2113
    ['JPY', 'CNY', 1_000, 0, 4_733, 4_733, '0.04733333'], // 1000 JPY → 47.3333 CNY
    ['CNY', 'KWD', 10_000, 0, 4_324, 4_324, '0.04323944'], // 100 CNY → 4.323943… KWD
    ['KWD', 'JPY', 1_000, 0, 489, 489, '488.59934853'], // 1.000 KWD → 488.599… JPY → 489
    ['JPY', 'KWD', 1_000_000, 0, 2_046_667, 2_046_667, '0.00204667'], // 1,000,000 JPY → 2046.666 67 KWD
    ['USD', 'CNY', 10_000, 50, 70_645, 71_000, '7.10000000'], // $100 at 0.5% spread → ¥706.45
    ['CNY', 'USD', 1, 50, 0, 0, '0.14084507'], // one fen buys nothing
  ])('%s → %s: %i minor at %i bps gives %i', (from, to, sourceAmount, spreadBps, expectedTarget, expectedMid, midRate) => {
    const quote = computeQuote({
      sourceAmount,
      sourceExponent: exponents[from],
      targetExponent: exponents[to],
      sourceUnitsPerUsd: rates[from],
      targetUnitsPerUsd: rates[to],
      spreadBps,
    });
    expect(quote.midRate).toBe(midRate);
    expect(quote.targetAmount).toBe(expectedTarget);
    expect(quote.midTargetAmount).toBe(expectedMid);
  });

  it('breaks exact ties to the even neighbour', () => {
    // 1 USD cent at a rate of 0.5 → 0.5 cent → 0; 3 cents → 1.5 → 2.
    const at = (sourceAmount: number) =>
      computeQuote({ sourceAmount, sourceExponent: 2, targetExponent: 2, sourceUnitsPerUsd: '2', targetUnitsPerUsd: '1', spreadBps: 0 })
        .targetAmount;
    expect(at(1)).toBe(0);
    expect(at(3)).toBe(2);
    expect(at(5)).toBe(2);
    expect(at(7)).toBe(4);
  });

  it('never gives more than the mid rate would', () => {
    for (const sourceAmount of [1, 99, 12_345, 9_999_999]) {
      const quote = computeQuote({
        sourceAmount,
        sourceExponent: 2,
        targetExponent: 0,
        sourceUnitsPerUsd: '7.1',
        targetUnitsPerUsd: '150',
        spreadBps: 50,
      });
      expect(quote.targetAmount).toBeLessThanOrEqual(quote.midTargetAmount);
    }
  });
});
