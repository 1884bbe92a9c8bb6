// Ratings (CSAT) own the survey after a conversation is resolved, the customer's answer and its follow-up.
import type { EventSubscriptions } from '../../platform/index.js';
import { conversationEvents } from '../support.events.js';
import type { SupportDeps } from '../support-deps.js';
import { planRatingSurvey, ratingSurveyQueue } from './plan-rating-survey.js';
import { sendRatingSurvey } from './send-rating-survey.js';

export { registerRatingRoutes } from './ratings.routes.js';
export { ratingForAgents } from './review-rating.js';

/** Plans a survey whenever a conversation is resolved or closed, and sends the delayed survey mails. */
export async function startRatings(events: EventSubscriptions, deps: SupportDeps): Promise<void> {
  // From now on only: conversations resolved before ratings existed are not surveyed after the fact.
  events.subscribe(
    'support.rating-surveys',
    [conversationEvents.resolved, conversationEvents.closed],
    async (event, context) => {
      if (event.subject) await planRatingSurvey(deps, context.tx, event.subject.id);
    },
    { startAt: 'now' },
  );
  await deps.jobs.work<{ conversationId: string }>(ratingSurveyQueue, async ({ conversationId }) => {
    await sendRatingSurvey(deps, conversationId);
  });
}
