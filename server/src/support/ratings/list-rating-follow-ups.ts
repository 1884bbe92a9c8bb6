import type { RatingFollowUp } from '@okpay/contracts';
import type { SupportDeps } from '../support-deps.js';
import { listFollowUps } from './ratings.repository.js';

/** Low ratings no supervisor has followed up yet, oldest first (they have waited longest). */
export async function listRatingFollowUps(deps: Pick<SupportDeps, 'db'>, limit: number): Promise<{ followUps: RatingFollowUp[] }> {
  const rows = await listFollowUps(deps.db, limit);
  return {
    followUps: rows.map(({ rating, conversation, customerName, agentName }) => ({
      conversationId: rating.conversationId,
      score: rating.score,
      reasons: rating.reasons,
      comment: rating.comment,
      channel: conversation.channel,
      reference: conversation.reference,
      customerName,
      agentName,
      ratedAt: rating.ratedAt.toISOString(),
    })),
  };
}
