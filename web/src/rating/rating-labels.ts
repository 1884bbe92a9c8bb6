import { ratingReasonsForScore } from '@okpay/contracts';

export const reasonsForScore = ratingReasonsForScore;
