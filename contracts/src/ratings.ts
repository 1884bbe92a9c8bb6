import { z } from 'zod';
import { conversationChannelSchema } from './support.js';

// Customer ratings (CSAT): one survey per conversation, a score of 1–5 with reasons and a comment.

export const ratingScoreSchema = z.number().int().min(1).max(5);

/** Reason chips the customer may tick; worded in the widget, the rating page and the console. */
export const ratingReasons = ['slow_reply', 'not_solved', 'friendly', 'fast_solution', 'clear_answer', 'hard_to_reach'] as const;
export const ratingReasonSchema = z.enum(ratingReasons);
export type RatingReason = z.infer<typeof ratingReasonSchema>;

const positiveRatingReasons: readonly RatingReason[] = ['friendly', 'fast_solution', 'clear_answer'];
const negativeRatingReasons: readonly RatingReason[] = ['slow_reply', 'not_solved', 'hard_to_reach'];

/** The reason chips offered for a score: complaints for 1–2, praise for 4–5, either for a middling 3. */
export function ratingReasonsForScore(score: number): RatingReason[] {
  if (score <= 2) return [...negativeRatingReasons];
  if (score >= 4) return [...positiveRatingReasons];
  return [...negativeRatingReasons, ...positiveRatingReasons];
}

export const ratingCommentMaxLength = 1000;

/**
 * POST /api/support/conversations/{id}/rating. The widget sends its chat token header; the rating
 * page sends the token from the mail's link instead.
 */
export const ratingRequestSchema = z.strictObject({
  score: ratingScoreSchema,
  reasons: z.array(ratingReasonSchema).max(ratingReasons.length).default([]),
  comment: z.string().trim().max(ratingCommentMaxLength).optional(),
  token: z.string().min(20).max(200).optional(),
});
export type RatingRequest = z.input<typeof ratingRequestSchema>;

/** A survey token from a rating link, for the page that shows it and for opting out. */
export const ratingTokenSchema = z.strictObject({ token: z.string().min(20).max(200) });

export const ratingSchema = z.object({
  score: ratingScoreSchema,
  reasons: z.array(ratingReasonSchema),
  comment: z.string().nullable(),
  /** Where it was given: in the chat widget, or on the page a survey mail links to. */
  source: z.enum(['widget', 'email']),
  ratedAt: z.string(),
  updatedAt: z.string(),
  /** Until when the customer may still change it. */
  changeableUntil: z.string(),
});
export type Rating = z.infer<typeof ratingSchema>;

/**
 * What the customer is asked: `ask` (no rating yet), `answered` (may still change it until
 * `changeableUntil`), `closed` (answered and no longer changeable, or the link expired) or `none`
 * (not asked: still open, opted out, asked recently, nobody answered it yet).
 */
export const ratingSurveySchema = z.object({
  conversationId: z.string(),
  state: z.enum(['ask', 'answered', 'closed', 'none']),
  channel: conversationChannelSchema,
  reference: z.string().nullable(),
  agentName: z.string().nullable(),
  locale: z.enum(['zh-CN', 'en']),
  rating: ratingSchema.nullable(),
  /** When the link stops working (mail surveys). */
  expiresAt: z.string().nullable(),
  hasOptedOut: z.boolean(),
});
export type RatingSurvey = z.infer<typeof ratingSurveySchema>;

/** What agents see on a conversation: the rating, and whether a supervisor should look at it. */
export const agentRatingSchema = ratingSchema.extend({
  needsReview: z.boolean(),
  reviewedAt: z.string().nullable(),
  reviewedByName: z.string().nullable(),
});
export type AgentRating = z.infer<typeof agentRatingSchema>;

/** A low rating waiting for a supervisor: the worklist beside the ratings report. */
export const ratingFollowUpSchema = z.object({
  conversationId: z.string(),
  score: ratingScoreSchema,
  reasons: z.array(ratingReasonSchema),
  comment: z.string().nullable(),
  channel: conversationChannelSchema,
  reference: z.string().nullable(),
  customerName: z.string().nullable(),
  agentName: z.string().nullable(),
  ratedAt: z.string(),
});
export type RatingFollowUp = z.infer<typeof ratingFollowUpSchema>;
export const ratingFollowUpListSchema = z.object({ followUps: z.array(ratingFollowUpSchema) });
export const ratingFollowUpQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The survey's state as agents see it: scheduled, sent, answered, or skipped (and why). */
export const agentSurveySchema = z.object({
  status: z.enum(['scheduled', 'sent', 'answered', 'skipped']),
  channel: z.enum(['widget', 'email']),
  skipReason: z.string().nullable(),
  sendAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type AgentSurvey = z.infer<typeof agentSurveySchema>;
