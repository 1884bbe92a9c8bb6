import type { Locale } from '@okpay/contracts';
import { type MailMessage, type MailTransport, publishEvent, withTransaction } from '../../../platform/index.js';
import { type ConversationRow, findConversation, findMessage } from '../../conversations/conversations.repository.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { emailReplyHours } from '../../sla/email-reply-hours.js';
import { expectedReplyAt } from '../../sla/expected-reply.js';
import { listConversationClocks } from '../../sla/sla.repository.js';
import type { SlaClockRow } from '../../sla/sla-clock.js';
import type { SupportDeps } from '../../support-deps.js';
import { type EmailMessage, markEmailAttemptFailed, markEmailsSent, startDeliveryAttempts } from '../email.repository.js';
import { addressesFor } from '../email-context.js';
import { baseSubject } from '../parsing/subject.js';
import { renderAcknowledgement, renderReply, supportFrom } from './render-support-email.js';

type Composing = {
  conversation: ConversationRow | null | undefined;
  replyToken: string | null | undefined;
  /** The conversations' SLA clocks, read for a whole batch at once. */
  clocks?: readonly SlaClockRow[];
  replyWithinHours?: number;
};

/** Composes the mail as it goes on the wire: threading headers, the reply-to token, loop guards. */
async function compose(deps: SupportDeps, row: EmailMessage, known: Composing): Promise<MailMessage> {
  const { conversation, replyToken } = known;
  if (!conversation || !replyToken) throw new Error(`email ${row.id} has no conversation thread`);
  const addresses = addressesFor(deps.config);
  const locale: Locale = conversation.locale;
  const reference = conversation.reference ?? '';
  let content: { subject: string; text: string; html: string };
  if (row.kind === 'acknowledgement') {
    content = renderAcknowledgement({
      locale,
      reference,
      originalSubject: baseSubject(conversation.subject ?? ''),
      customerName: conversation.contactName,
      // The SLA's first-reply due time: the same clock the console counts down.
      dueAt: await expectedReplyAt(deps, conversation, conversation.createdAt, known.clocks),
      replyWithinHours: known.replyWithinHours ?? (await emailReplyHours(deps)),
      timeZone: deps.config.timeZone,
    });
  } else {
    const stored = row.messageId ? await findMessage(deps.db, row.messageId) : undefined;
    if (!stored) throw new Error(`email ${row.id} has no message`);
    content = renderReply({ locale, reference, subject: row.subject, body: stored.body, agentName: stored.authorName ?? '' });
  }
  const headers: Record<string, string> = {
    'X-Auto-Response-Suppress': 'All',
    'X-Loop': addresses.support,
    'Thread-Topic': baseSubject(row.subject),
    'X-OKPay-Reference': reference,
  };
  if (row.threadIndex) headers['Thread-Index'] = row.threadIndex;
  // RFC 3834 §3.1.7: an automatic answer says so, so other responders stay quiet.
  if (row.kind === 'acknowledgement') headers['Auto-Submitted'] = 'auto-replied';
  return {
    from: supportFrom(locale, addresses.support),
    to: row.recipient,
    ...(row.cc.length > 0 ? { cc: row.cc } : {}),
    replyTo: addresses.replyAddress(replyToken),
    subject: row.kind === 'acknowledgement' ? content.subject : row.subject,
    text: content.text,
    html: content.html,
    messageId: row.internetMessageId,
    ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
    ...(row.references.length > 0 ? { references: row.references } : {}),
    headers,
    envelope: { from: row.bounceToken ? addresses.bounceAddress(row.bounceToken) : addresses.support, to: row.recipient },
  };
}

/**
 * Delivery attempts of many queued mails at once (the acknowledgements of a burst of new mail):
 * claimed with their conversations in one statement, sent over the pooled transport side by side,
 * marked sent in one statement. Answers each mail's outcome in order: null when sent or settled,
 * the error when the job queue should try that one again (with backoff); the last attempt's
 * failure is recorded on the conversation for the agent.
 */
export async function deliverEmails(deps: SupportDeps, transport: MailTransport, emailMessageIds: string[]): Promise<Array<Error | null>> {
  const claimed = await startDeliveryAttempts(deps.db, emailMessageIds);
  const acknowledged = claimed.filter((item) => item.row.kind === 'acknowledgement').map((item) => item.row.conversationId);
  const clocks = acknowledged.length > 0 ? await listConversationClocks(deps.db, acknowledged) : new Map<string, SlaClockRow[]>();
  const replyWithinHours = acknowledged.length > 0 ? await emailReplyHours(deps) : undefined;
  const sent: string[] = [];
  const failures = new Map<string, Error>();
  await Promise.all(
    claimed.map(async ({ row, conversation, replyToken }) => {
      try {
        const clocksOf = clocks.get(row.conversationId) ?? [];
        await transport.deliver(await compose(deps, row, { conversation, replyToken, clocks: clocksOf, replyWithinHours }));
        sent.push(row.id);
      } catch (error) {
        const retry = await recordFailedAttempt(deps, row, error).then(
          () => null,
          (thrown: unknown) => (thrown instanceof Error ? thrown : new Error(String(thrown))),
        );
        if (retry) failures.set(row.id, retry);
      }
    }),
  );
  if (sent.length > 0) {
    const conversations = await markEmailsSent(deps.db, sent, deps.clock.now());
    for (const conversation of conversations) deps.notifier.conversationUpdated(conversation, { type: 'email_delivery' });
  }
  return emailMessageIds.map((id) => failures.get(id) ?? null);
}

/** A failed attempt: recorded; after the last one the agent is told; before it, thrown back to be retried. */
async function recordFailedAttempt(deps: SupportDeps, row: EmailMessage, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  const isFinal = row.attempts >= deps.config.email.sendAttempts;
  await withTransaction(deps.pool, async (tx) => {
    await markEmailAttemptFailed(tx, row.id, reason, isFinal);
    if (!isFinal) return;
    await recordConversationEvent(
      tx,
      row.conversationId,
      'email_send_failed',
      { kind: 'system' },
      {
        emailMessageId: row.id,
        kind: row.kind,
        recipient: row.recipient,
        reason: reason.slice(0, 300),
        attempts: row.attempts,
      },
    );
    await publishEvent(tx, {
      type: 'support.email.failed',
      subject: { type: 'conversation', id: row.conversationId },
      payload: { emailMessageId: row.id, recipient: row.recipient, reason: reason.slice(0, 300) },
    });
  });
  await notifyDelivery(deps, row.conversationId);
  if (isFinal) {
    deps.logger.warn({ emailMessageId: row.id, attempts: row.attempts, err: error }, 'support email could not be delivered');
    return;
  }
  throw error;
}

async function notifyDelivery(deps: SupportDeps, conversationId: string): Promise<void> {
  const conversation = await findConversation(deps.db, conversationId);
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'email_delivery' });
}
