import { ratingReasonsForScore } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import { reasonsFor } from './rating-survey';

describe('reason chips', () => {
  it.each([1, 2, 3, 4, 5])('offers for a score of %i the same reasons as the rating page', (score) => {
    expect(reasonsFor(score)).toEqual(ratingReasonsForScore(score));
  });

  it('offers complaints for a low score and praise for a high one', () => {
    expect(reasonsFor(1)).toContain('not_solved');
    expect(reasonsFor(1)).not.toContain('friendly');
    expect(reasonsFor(5)).toContain('fast_solution');
    expect(reasonsFor(5)).not.toContain('slow_reply');
  });
});
