import { agentRatingSchema, type RatingReason, ratingSurveySchema } from '@okpay/contracts';
import { apiRequest } from './client';

// The rating page (from a survey mail's link) and the console's follow-up of low ratings.

export const readRatingSurvey = (token: string) =>
  apiRequest('/api/support/rating-survey', { method: 'POST', body: { token }, schema: ratingSurveySchema, realm: 'customer' });

export const submitRating = (conversationId: string, body: { token: string; score: number; reasons: RatingReason[]; comment?: string }) =>
  apiRequest(`/api/support/conversations/${conversationId}/rating`, {
    method: 'POST',
    body,
    schema: ratingSurveySchema,
    realm: 'customer',
  });

export const optOutOfRatings = (conversationId: string, token: string) =>
  apiRequest(`/api/support/conversations/${conversationId}/rating/opt-out`, {
    method: 'POST',
    body: { token },
    schema: ratingSurveySchema,
    realm: 'customer',
  });

export const markRatingReviewed = (conversationId: string) =>
  apiRequest(`/api/agent/conversations/${conversationId}/rating/review`, { method: 'POST', schema: agentRatingSchema });
