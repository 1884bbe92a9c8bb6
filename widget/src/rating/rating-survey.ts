import type { Locale, RatingReason, RatingSurvey } from '@okpay/contracts';
import type { Http } from '../api/http';

// The widget bundles no zod, so it keeps its own copy of contracts' ratingReasonsForScore (a test keeps them equal).
/** Complaints fit a low score, praise a high one; a middling 3 may have either. */
const negativeReasons: RatingReason[] = ['slow_reply', 'not_solved', 'hard_to_reach'];
const positiveReasons: RatingReason[] = ['friendly', 'fast_solution', 'clear_answer'];

export function reasonsFor(score: number): RatingReason[] {
  if (score <= 2) return negativeReasons;
  if (score >= 4) return positiveReasons;
  return [...negativeReasons, ...positiveReasons];
}

export type RatingDraft = { score: number; reasons: RatingReason[]; comment: string };

/** The widget's side of a rating: ask whether to show the survey, send the answer, opt out. */
export function ratingApi(http: Http, conversationId: string, locale: Locale) {
  const path = `/api/support/conversations/${encodeURIComponent(conversationId)}/rating`;
  return {
    load: (token: string) => http.request<RatingSurvey>(path, { token, locale }),
    submit: (token: string, draft: RatingDraft) =>
      http.request<RatingSurvey>(path, {
        method: 'POST',
        token,
        locale,
        json: {
          score: draft.score,
          // Only reasons that fit the chosen score are sent (the choice may have changed after ticking).
          reasons: draft.reasons.filter((reason) => reasonsFor(draft.score).includes(reason)),
          ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
        },
      }),
    optOut: (token: string) => http.request<RatingSurvey>(`${path}/opt-out`, { method: 'POST', token, locale, json: {} }),
  };
}
