import { type Rating, type RatingReason, type RatingSurvey, ratingReasons } from '@okpay/contracts';
import { findStaffMemberById } from '../../identity/index.js';
import { type Queryable, type Transaction, withTransaction } from '../../platform/index.js';
import { type ConversationRow, findConversationForUpdate } from '../conversations/conversations.repository.js';
import { canAccess } from '../conversations/get-conversation.js';
import type { Participant } from '../conversations/participant.js';
import { type EventActor, recordConversationEvent } from '../conversations/record-event.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { planRatingSurvey, surveyRecipient } from './plan-rating-survey.js';
import { RatingError } from './ratings.errors.js';
import {
  findRating,
  findSurvey,
  findSurveyByToken,
  hasOptedOut,
  insertOptOuts,
  optOutSubjects,
  type RatingRow,
  type SurveyRow,
  updateSurvey,
  upsertRating,
} from './ratings.repository.js';
import { hashRatingToken } from './send-rating-survey.js';

const dayMs = 86_400_000;

/** Who is rating: the widget's signed-in customer or visitor, or whoever holds the mail's link token. */
export type RaterAuth =
  | { kind: 'participant'; participant: Participant & { kind: 'customer' | 'visitor' } }
  | { kind: 'token'; token: string };

export type RatingInput = {
  conversationId: string;
  auth: RaterAuth;
  score: number;
  reasons: RatingReason[];
  comment?: string;
  ipAddress: string | null;
  userAgent: string | null;
};

export function toRating(row: RatingRow): Rating {
  return {
    score: row.score,
    reasons: row.reasons,
    comment: row.comment,
    source: row.source,
    ratedAt: row.ratedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    changeableUntil: row.changeableUntil.toISOString(),
  };
}

/** The display name of the agent a rating is about, if there is one. */
export async function agentNameOf(db: Queryable, staffId: string | null): Promise<string | null> {
  return staffId ? ((await findStaffMemberById(db, staffId))?.displayName ?? null) : null;
}

type Located = { conversation: ConversationRow; survey: SurveyRow | undefined };

/**
 * The conversation and its survey for this rater, with the conversation row locked. A link token
 * must belong to this conversation and be unexpired; a widget participant must own the chat, and a
 * resolved chat gets its survey planned here if the outbox subscriber has not done it yet.
 */
async function locate(deps: SupportDeps, tx: Transaction, conversationId: string, auth: RaterAuth): Promise<Located> {
  if (auth.kind === 'token') {
    const survey = await findSurveyByToken(tx, hashRatingToken(auth.token));
    if (!survey || survey.conversationId !== conversationId) throw RatingError('rating_link_invalid');
    if (survey.expiresAt && survey.expiresAt.getTime() <= deps.clock.now().getTime()) throw RatingError('rating_link_expired');
    const conversation = await findConversationForUpdate(tx, conversationId);
    if (!conversation) throw RatingError('rating_link_invalid');
    return { conversation, survey };
  }
  const conversation = await findConversationForUpdate(tx, conversationId);
  if (!conversation || !canAccess(conversation, auth.participant)) throw SupportError('conversation_not_found');
  const survey = (await findSurvey(tx, conversationId, { forUpdate: true })) ?? (await planRatingSurvey(deps, tx, conversationId));
  return { conversation, survey };
}

/** Records the customer's rating, or changes it within `CSAT_CHANGE_WINDOW_DAYS` of the first answer. */
export async function recordRating(deps: SupportDeps, input: RatingInput): Promise<Rating> {
  const now = deps.clock.now();
  const { conversation, rating } = await withTransaction(deps.pool, async (tx) => {
    const { conversation, survey } = await locate(deps, tx, input.conversationId, input.auth);
    if (!survey || (survey.status !== 'sent' && survey.status !== 'answered')) throw RatingError('rating_not_open');
    const previous = await findRating(tx, conversation.id, { forUpdate: true });
    if (previous && previous.changeableUntil.getTime() <= now.getTime()) throw RatingError('rating_closed');
    const reasons = ratingReasons.filter((reason) => input.reasons.includes(reason));
    const comment = input.comment?.trim() ? maskSensitive(input.comment.trim()).text : null;
    const isLow = input.score <= deps.config.ratings.lowScore;
    const stored = await upsertRating(tx, {
      conversationId: conversation.id,
      score: input.score,
      reasons,
      comment,
      source: input.auth.kind === 'token' ? 'email' : 'widget',
      agentId: previous?.agentId ?? survey.agentId,
      needsReview: isLow,
      ipAddress: input.ipAddress,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      ratedAt: previous?.ratedAt ?? now,
      updatedAt: now,
      changeableUntil: previous?.changeableUntil ?? new Date(now.getTime() + deps.config.ratings.changeWindowDays * dayMs),
    });
    if (survey.status !== 'answered') await updateSurvey(tx, conversation.id, { status: 'answered' });
    // The timeline (agents see it) and the outbox (reports count it) hear of every answer and change;
    // the comment stays in the rating row, out of the event log.
    const actor: EventActor =
      input.auth.kind === 'participant'
        ? input.auth.participant
        : conversation.customerId
          ? { kind: 'customer', customerId: conversation.customerId, name: '' }
          : { kind: 'system' };
    await recordConversationEvent(
      tx,
      conversation.id,
      'rated',
      actor,
      {
        score: stored.score,
        previousScore: previous?.score ?? null,
        reasons: stored.reasons,
        previousReasons: previous?.reasons ?? null,
        source: stored.source,
        agentId: stored.agentId,
        hasComment: stored.comment !== null,
        needsReview: stored.needsReview,
      },
      now,
    );
    return { conversation, rating: stored };
  });
  deps.notifier.conversationUpdated(conversation, { type: 'rated' });
  return toRating(rating);
}

/** What the widget or the rating page shows. */
export async function ratingSurveyFor(deps: SupportDeps, conversationId: string, auth: RaterAuth): Promise<RatingSurvey> {
  return withTransaction(deps.pool, async (tx) => {
    const { conversation, survey } = await locate(deps, tx, conversationId, auth);
    return surveyView(deps, tx, conversation, survey);
  });
}

/** The survey a link token belongs to (the rating page reads it before showing the form). */
export async function ratingSurveyByToken(deps: SupportDeps, token: string): Promise<RatingSurvey> {
  const survey = await findSurveyByToken(deps.db, hashRatingToken(token));
  if (!survey) throw RatingError('rating_link_invalid');
  return ratingSurveyFor(deps, survey.conversationId, { kind: 'token', token });
}

async function surveyView(
  deps: SupportDeps,
  db: Queryable,
  conversation: ConversationRow,
  survey: SurveyRow | undefined,
): Promise<RatingSurvey> {
  const now = deps.clock.now().getTime();
  const rating = await findRating(db, conversation.id);
  const who = await surveyRecipient(db, conversation);
  const isOpen = survey !== undefined && (survey.status === 'sent' || survey.status === 'answered');
  const isExpired = survey?.expiresAt !== null && survey?.expiresAt !== undefined && survey.expiresAt.getTime() <= now;
  const state = !isOpen
    ? 'none'
    : rating
      ? rating.changeableUntil.getTime() > now && !isExpired
        ? 'answered'
        : 'closed'
      : isExpired
        ? 'closed'
        : 'ask';
  return {
    conversationId: conversation.id,
    state,
    channel: conversation.channel,
    reference: conversation.reference,
    agentName: await agentNameOf(db, survey?.agentId ?? conversation.assigneeId),
    locale: conversation.locale,
    rating: rating ? toRating(rating) : null,
    expiresAt: survey?.channel === 'email' ? (survey.expiresAt?.toISOString() ?? null) : null,
    hasOptedOut: await hasOptedOut(db, optOutSubjects(who)),
  };
}

/** "Don't ask me again": the customer (or visitor) and their address are never surveyed again. */
export async function optOutOfRatings(deps: SupportDeps, conversationId: string, auth: RaterAuth): Promise<RatingSurvey> {
  return withTransaction(deps.pool, async (tx) => {
    const { conversation, survey } = await locate(deps, tx, conversationId, auth);
    const who = await surveyRecipient(tx, conversation);
    // A link token speaks for its address; the widget for its signed-in customer or visitor.
    const subjects =
      auth.kind === 'token'
        ? optOutSubjects({ customerId: conversation.customerId, email: survey?.recipientEmail ?? who.email, visitorId: null })
        : optOutSubjects({ ...who, email: auth.participant.kind === 'customer' ? who.email : null });
    await insertOptOuts(tx, subjects, deps.clock.now());
    return surveyView(deps, tx, conversation, survey);
  });
}
