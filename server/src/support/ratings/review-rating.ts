import type { AgentRating, AgentSurvey } from '@okpay/contracts';
import { type Queryable, withTransaction } from '../../platform/index.js';
import { findConversationForUpdate } from '../conversations/conversations.repository.js';
import type { Participant } from '../conversations/participant.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { RatingError } from './ratings.errors.js';
import { findRating, findSurvey, markReviewed, type RatingRow } from './ratings.repository.js';
import { agentNameOf, toRating } from './record-rating.js';

async function toAgentRating(db: Queryable, row: RatingRow): Promise<AgentRating> {
  return {
    ...toRating(row),
    needsReview: row.needsReview,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    reviewedByName: await agentNameOf(db, row.reviewedBy),
  };
}

/** The rating and the survey's state, for the conversation detail in the console. */
export async function ratingForAgents(
  db: Queryable,
  conversationId: string,
): Promise<{ rating: AgentRating | null; survey: AgentSurvey | null }> {
  const [rating, survey] = await Promise.all([findRating(db, conversationId), findSurvey(db, conversationId)]);
  return {
    rating: rating ? await toAgentRating(db, rating) : null,
    survey: survey
      ? {
          status: survey.status,
          channel: survey.channel,
          skipReason: survey.skipReason,
          sendAt: survey.sendAt?.toISOString() ?? null,
          sentAt: survey.sentAt?.toISOString() ?? null,
        }
      : null,
  };
}

/** A supervisor has followed up a low rating: it leaves the list of ratings waiting for review. */
export async function reviewRating(
  deps: SupportDeps,
  conversationId: string,
  supervisor: Participant & { kind: 'staff' },
): Promise<AgentRating> {
  const now = deps.clock.now();
  const { row, conversation } = await withTransaction(deps.pool, async (tx) => {
    const conversation = await findConversationForUpdate(tx, conversationId);
    const rating = await findRating(tx, conversationId, { forUpdate: true });
    if (!conversation || !rating) throw RatingError('rating_not_found');
    if (!rating.needsReview) return { row: rating, conversation };
    const row = (await markReviewed(tx, conversationId, supervisor.staffId, now)) ?? rating;
    await recordConversationEvent(tx, conversationId, 'rating_reviewed', supervisor, { score: rating.score }, now);
    return { row, conversation };
  });
  deps.notifier.conversationUpdated(conversation, { type: 'rating_reviewed' });
  return toAgentRating(deps.db, row);
}
