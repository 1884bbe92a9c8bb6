import type { Locale } from '@okpay/contracts';
import { type MailMessage, type MailTransport, publishEvent, withTransaction } from '../../../platform/index.js';
import { findConversation, findMessage } from '../../conversations/conversations.repository.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { emailReplyHours } from '../../sla/email-reply-hours.js';
import { expectedReplyAt } from '../../sla/expected-reply.js';
import type { SupportDeps } from '../../support-deps.js';
import { type EmailMessage, findThread, markEmailAttemptFailed, markEmailSent, startDeliveryAttempt } from '../email.repository.js';
import { addressesFor } from '../email-context.js';
import { baseSubject } from '../parsing/subject.js';
import { renderAcknowledgement, renderReply, supportFrom } from './render-support-email.js';

/** Composes the mail as it goes on the wire: threading headers, the reply-to token, loop guards. */
async function compose(deps: SupportDeps, row: EmailMessage): Promise<MailMessage> {
  const conversation = await findConversation(deps.db, row.conversationId);
  const thread = await findThread(deps.db, row.conversationId);
  if (!conversation || !thread) throw new Error(`email ${row.id} has no conversation thread`);
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
      dueAt: await expectedReplyAt(deps, conversation, conversation.createdAt),
      replyWithinHours: await emailReplyHours(deps),
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
    replyTo: addresses.replyAddress(thread.replyToken),
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
 * One delivery attempt of a queued support mail. A failure is thrown back to the job queue, which
 * retries with backoff; the last attempt's failure is recorded on the conversation for the agent.
 */
export async function deliverEmail(deps: SupportDeps, transport: MailTransport, emailMessageId: string): Promise<void> {
  const row = await startDeliveryAttempt(deps.db, emailMessageId);
  if (!row) return;
  try {
    await transport.deliver(await compose(deps, row));
  } catch (error) {
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
  await withTransaction(deps.pool, async (tx) => {
    await markEmailSent(tx, row.id, deps.clock.now());
    await publishEvent(tx, {
      type: 'support.email.sent',
      subject: { type: 'conversation', id: row.conversationId },
      payload: { emailMessageId: row.id, kind: row.kind, recipient: row.recipient },
    });
  });
  await notifyDelivery(deps, row.conversationId);
}

async function notifyDelivery(deps: SupportDeps, conversationId: string): Promise<void> {
  const conversation = await findConversation(deps.db, conversationId);
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'email_delivery' });
}
