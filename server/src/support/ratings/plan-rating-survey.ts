import { findCustomerById } from '../../identity/index.js';
import type { Queryable, Transaction } from '../../platform/index.js';
import { type ConversationRow, findConversationForUpdate } from '../conversations/conversations.repository.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import {
  findSurvey,
  hasOptedOut,
  insertSurvey,
  isUndeliverable,
  lastSurveySentTo,
  optOutSubjects,
  type SkipReason,
  type SurveyRow,
  updateSurvey,
} from './ratings.repository.js';

export const ratingSurveyQueue = 'support.rating-survey';
const dayMs = 86_400_000;

/** Whom a conversation's survey would reach: the linked customer, the mail address, the visitor. */
export async function surveyRecipient(db: Queryable, conversation: ConversationRow) {
  let email = conversation.contactEmail?.toLowerCase() ?? null;
  if (!email && conversation.customerId) email = (await findCustomerById(db, conversation.customerId))?.email.toLowerCase() ?? null;
  return { customerId: conversation.customerId, email, visitorId: conversation.customerId ? null : conversation.visitorId };
}

/**
 * Decides, once per conversation, whether and how its customer is asked for a rating, in the
 * caller's transaction. Called when a conversation is resolved (the outbox subscriber) and when the
 * widget first looks at a resolved chat, whichever comes first. Chats are asked in the widget at
 * once; email and phone get a mail `CSAT_EMAIL_DELAY_MINUTES` later, if still resolved then.
 * Nobody is asked who opted out or was asked within `CSAT_THROTTLE_DAYS`; a conversation no agent
 * answered (spam, auto-resolved, abandoned) is not asked yet, so it may be once someone has.
 */
export async function planRatingSurvey(deps: SupportDeps, tx: Transaction, conversationId: string): Promise<SurveyRow | undefined> {
  const conversation = await findConversationForUpdate(tx, conversationId);
  if (!conversation) return undefined;
  const now = deps.clock.now();
  const isFinished = conversation.status === 'resolved' || conversation.status === 'closed';
  const existing = await findSurvey(tx, conversationId, { forUpdate: true });
  if (existing) {
    // A mail still waiting when the conversation was reopened goes out after the next resolution instead.
    if (existing.status === 'scheduled' && isFinished) {
      const sendAt = new Date(now.getTime() + deps.config.ratings.emailDelayMinutes * 60_000);
      const rescheduled = await updateSurvey(tx, conversationId, { sendAt, agentId: conversation.assigneeId });
      await queueSurveyMail(deps, tx, conversationId, sendAt);
      return rescheduled;
    }
    return existing;
  }
  if (!isFinished || conversation.firstResponseAt === null) return undefined;

  const who = await surveyRecipient(tx, conversation);
  const channel = conversation.channel === 'chat' ? 'widget' : 'email';
  const skipReason = await skipReasonFor(deps, tx, who, channel, now);
  const base = {
    conversationId,
    channel,
    customerId: who.customerId,
    visitorId: who.visitorId,
    recipientEmail: who.email,
    locale: conversation.locale,
    agentId: conversation.assigneeId,
    createdAt: now,
  } as const;
  if (skipReason) return insertSurvey(tx, { ...base, status: 'skipped', skipReason });
  if (channel === 'widget') {
    const survey = await insertSurvey(tx, {
      ...base,
      status: 'sent',
      skipReason: null,
      sentAt: now,
      expiresAt: new Date(now.getTime() + deps.config.ratings.linkDays * dayMs),
    });
    if (survey) await recordConversationEvent(tx, conversationId, 'rating_requested', { kind: 'system' }, { channel: 'widget' }, now);
    return survey;
  }
  const sendAt = new Date(now.getTime() + deps.config.ratings.emailDelayMinutes * 60_000);
  const survey = await insertSurvey(tx, { ...base, status: 'scheduled', skipReason: null, sendAt });
  if (survey) await queueSurveyMail(deps, tx, conversationId, sendAt);
  return survey;
}

/** Why this person is not asked now, if they are not. */
export async function skipReasonFor(
  deps: SupportDeps,
  db: Queryable,
  who: { customerId: string | null; email: string | null; visitorId: string | null },
  channel: 'widget' | 'email',
  now: Date,
): Promise<SkipReason | undefined> {
  if (await hasOptedOut(db, optOutSubjects(who))) return 'opted_out';
  const throttleDays = deps.config.ratings.throttleDays;
  if (throttleDays > 0 && (await lastSurveySentTo(db, who, new Date(now.getTime() - throttleDays * dayMs)))) return 'recently_asked';
  if (channel === 'email') {
    if (!who.email) return 'no_address';
    if (await isUndeliverable(db, who.email)) return 'undeliverable';
  }
  return undefined;
}

async function queueSurveyMail(deps: SupportDeps, tx: Transaction, conversationId: string, sendAt: Date): Promise<void> {
  const seconds = Math.max(0, Math.ceil((sendAt.getTime() - deps.clock.now().getTime()) / 1000));
  await deps.jobs.send(
    ratingSurveyQueue,
    { conversationId },
    { startAfterSeconds: seconds, tx: tx.$client, retryLimit: 5, retryDelaySeconds: 60 },
  );
}
