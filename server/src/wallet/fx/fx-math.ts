/** Exact FX arithmetic on integers: rates are decimal strings, amounts are integer minor units. */

type Rational = { numerator: bigint; denominator: bigint };

export function parseDecimal(text: string): Rational {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const fraction = match[3] ?? '';
  const numerator = BigInt(`${match[2]}${fraction}`) * (match[1] ? -1n : 1n);
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/** Rounds numerator/denominator to the nearest integer, ties to even (banker's rounding). */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) return roundHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const absolute = negative ? -numerator : numerator;
  let quotient = absolute / denominator;
  const twiceRemainder = (absolute % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** A rational as a decimal string with `digits` fraction digits, rounded half-even. */
export function toDecimalString(value: Rational, digits: number): string {
  const scaled = roundHalfEven(value.numerator * 10n ** BigInt(digits), value.denominator);
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export type QuoteMath = {
  targetAmount: number;
  midTargetAmount: number;
  midRate: string;
  clientRate: string;
};

/**
 * Converts `sourceAmount` minor units. Rates are units per USD, so the mid rate from→to is
 * to/from. The spread is a multiplicative discount on the mid rate (Stripe FX Quote style); the
 * result is rounded half-even to the target currency's exponent. No floating point anywhere.
 */
export function computeQuote(input: {
  sourceAmount: number;
  sourceExponent: number;
  targetExponent: number;
  sourceUnitsPerUsd: string;
  targetUnitsPerUsd: string;
  spreadBps: number;
}): QuoteMath {
  const from = parseDecimal(input.sourceUnitsPerUsd);
  const to = parseDecimal(input.targetUnitsPerUsd);
  const midRate: Rational = { numerator: to.numerator * from.denominator, denominator: to.denominator * from.numerator };
  const clientRate: Rational = {
    numerator: midRate.numerator * BigInt(10_000 - input.spreadBps),
    denominator: midRate.denominator * 10_000n,
  };
  // target minor = source minor × 10^(targetExp − sourceExp) × rate
  const scaleUp = 10n ** BigInt(input.targetExponent);
  const scaleDown = 10n ** BigInt(input.sourceExponent);
  const amount = BigInt(input.sourceAmount);
  const target = roundHalfEven(amount * scaleUp * clientRate.numerator, scaleDown * clientRate.denominator);
  const midTarget = roundHalfEven(amount * scaleUp * midRate.numerator, scaleDown * midRate.denominator);
  return {
    targetAmount: Number(target),
    midTargetAmount: Number(midTarget),
    midRate: toDecimalString(midRate, 8),
    clientRate: toDecimalString(clientRate, 8),
  };
}
