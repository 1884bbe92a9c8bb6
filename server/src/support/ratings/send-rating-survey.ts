import { createHash, randomBytes } from 'node:crypto';
import type { Locale } from '@okpay/contracts';
import { findCustomerById, findStaffMemberById } from '../../identity/index.js';
import { createQueuedMailer, type MailMessage, renderEmail, withTransaction } from '../../platform/index.js';
import { findConversationForUpdate } from '../conversations/conversations.repository.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { skipReasonFor, surveyRecipient } from './plan-rating-survey.js';
import { findSurvey, updateSurvey } from './ratings.repository.js';

const dayMs = 86_400_000;

export const hashRatingToken = (token: string) => createHash('sha256').update(token).digest('hex');

const scoreLabels: Record<Locale, Record<number, string>> = {
  'zh-CN': { 5: '😄 非常满意', 4: '🙂 满意', 3: '😐 一般', 2: '🙁 不满意', 1: '😞 非常不满意' },
  en: { 5: '😄 Very satisfied', 4: '🙂 Satisfied', 3: '😐 Neutral', 2: '🙁 Dissatisfied', 1: '😞 Very dissatisfied' },
};

/** The survey mail: five faces, each a link to the rating page with that score chosen (nothing is recorded by opening it). */
export function ratingSurveyEmail(input: {
  to: string;
  locale: Locale;
  name: string | null;
  agentName: string | null;
  reference: string | null;
  subject: string | null;
  pageUrl: (score?: number) => string;
  linkDays: number;
}): MailMessage {
  const zh = input.locale === 'zh-CN';
  const topic = input.subject ? (zh ? `“${input.subject}”` : `"${input.subject}"`) : zh ? '您的咨询' : 'your question';
  const body = renderEmail(input.locale, {
    greeting: zh ? `${input.name ?? '您'}，您好：` : `Hello ${input.name ?? 'there'},`,
    paragraphs: zh
      ? [
          `${input.agentName ? `客服 ${input.agentName} ` : '我们'}已处理完${topic}${input.reference ? `（工单 #${input.reference}）` : ''}。您对这次服务满意吗？`,
          '点选一个表情，会打开评价页面，确认后才会提交；您还可以勾选原因、留下意见。',
        ]
      : [
          `${input.agentName ? `${input.agentName} has` : 'We have'} finished with ${topic}${input.reference ? ` (reference #${input.reference})` : ''}. How did we do?`,
          'Pick a face: it opens the rating page, and nothing is recorded until you submit there. You can add reasons and a comment too.',
        ],
    choices: [5, 4, 3, 2, 1].map((score) => ({ label: scoreLabels[input.locale][score] ?? String(score), url: input.pageUrl(score) })),
    footnotes: [
      zh
        ? `链接 ${input.linkDays} 天内有效。不想再收到满意度调查？请在评价页面选择“不再邀请我评价”。`
        : `The links work for ${input.linkDays} days. Rather not be asked again? Choose "Don't ask me again" on the rating page.`,
    ],
  });
  return {
    to: input.to,
    subject: zh
      ? `${input.reference ? `[#${input.reference}] ` : ''}您对本次客服服务满意吗？`
      : `${input.reference ? `[#${input.reference}] ` : ''}How did we do?`,
    // An automated notification: auto-responders and Exchange stay quiet (RFC 3834, MS-OXCMAIL).
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    ...body,
  };
}

/**
 * The delayed survey mail (job `support.rating-survey`): sent only if the conversation is still
 * resolved when it is due and the customer is still to be asked (opt-out and throttle are checked
 * again). The link token is random, stored as its hash, and expires after `CSAT_LINK_DAYS`.
 */
export async function sendRatingSurvey(deps: SupportDeps, conversationId: string): Promise<'sent' | 'skipped' | 'waiting'> {
  const outcome = await withTransaction(deps.pool, async (tx) => {
    const conversation = await findConversationForUpdate(tx, conversationId);
    const survey = await findSurvey(tx, conversationId, { forUpdate: true });
    if (!conversation || survey?.status !== 'scheduled') return { result: 'skipped' as const };
    const now = deps.clock.now();
    // Reopened since: the next resolution schedules it again. Rescheduled: the later job sends it.
    if (conversation.status !== 'resolved' && conversation.status !== 'closed') return { result: 'waiting' as const };
    if (survey.sendAt && survey.sendAt.getTime() > now.getTime() + 1_000) return { result: 'waiting' as const };
    const who = await surveyRecipient(tx, conversation);
    const skipReason = await skipReasonFor(deps, tx, who, 'email', now);
    if (skipReason || !who.email) {
      await updateSurvey(tx, conversationId, { status: 'skipped', skipReason: skipReason ?? 'no_address' });
      return { result: 'skipped' as const, conversation };
    }
    const token = randomBytes(32).toString('base64url');
    await updateSurvey(tx, conversationId, {
      status: 'sent',
      tokenHash: hashRatingToken(token),
      sentAt: now,
      expiresAt: new Date(now.getTime() + deps.config.ratings.linkDays * dayMs),
    });
    await recordConversationEvent(tx, conversationId, 'rating_requested', { kind: 'system' }, { channel: 'email' }, now);
    const customer = conversation.customerId ? await findCustomerById(tx, conversation.customerId) : undefined;
    const agent = survey.agentId ? await findStaffMemberById(tx, survey.agentId) : undefined;
    const pageUrl = (score?: number) =>
      `${deps.config.publicUrl}/rate?token=${token}${score === undefined ? '' : `&score=${score}`}&lang=${conversation.locale}`;
    await createQueuedMailer(deps.jobs, tx.$client).send(
      ratingSurveyEmail({
        to: who.email,
        locale: conversation.locale,
        name: customer?.displayName ?? conversation.contactName,
        agentName: agent?.displayName ?? null,
        reference: conversation.reference,
        subject: conversation.subject,
        pageUrl,
        linkDays: deps.config.ratings.linkDays,
      }),
    );
    return { result: 'sent' as const, conversation };
  });
  // The console shows what became of the survey.
  if (outcome.conversation) deps.notifier.conversationUpdated(outcome.conversation, { type: 'rating_requested' });
  return outcome.result;
}
