import { randomBytes, randomUUID } from 'node:crypto';
import { findVerifiedCustomerByEmail } from '../../../identity/index.js';
import { publishEvent, withTransaction } from '../../../platform/index.js';
import { type ConversationRow, findConversation } from '../../conversations/conversations.repository.js';
import { toMessageView } from '../../conversations/message-view.js';
import type { Participant } from '../../conversations/participant.js';
import { postMessage } from '../../conversations/post-message.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { maskSensitive } from '../../masking/mask-sensitive.js';
import type { SupportDeps } from '../../support-deps.js';
import {
  type ClaimedInbound,
  claimInbound,
  conversationWriters,
  type EmailThread,
  findInboundByMessageId,
  findThread,
  finishInbound,
  type InboundOutcome,
  insertConversationFromMail,
  insertEmailConversationWithReference,
  insertThread,
  recordInboundMessage,
  releaseInbound,
  setInboundConversation,
  updateThreadIndex,
} from '../email.repository.js';
import { newToken } from '../email-addresses.js';
import { addressesFor, requestRouting } from '../email-context.js';
import { dispatchOutgoing, dispatchOutgoingSoon } from '../outbound/queue-email.js';
import { recordAcknowledgement } from '../outbound/send-acknowledgement.js';
import { isAutomatic, isDaemonAddress, noAckReason } from '../parsing/auto-reply.js';
import { guessCategory } from '../parsing/category.js';
import { clean, type DecodedMail, decodeMail, UnreadableMailError } from '../parsing/decode-mail.js';
import { detectLocale } from '../parsing/language.js';
import { splitReply } from '../parsing/reply-text.js';
import { baseSubject, isForwardSubject, newReference } from '../parsing/subject.js';
import { newThreadIndex, replyThreadIndex, threadGuid } from '../parsing/thread-index.js';
import { keepAttachments } from './email-attachments.js';
import { handleBounce } from './handle-bounce.js';
import { matchThread } from './match-thread.js';
import { salvageMail } from './salvage-mail.js';

/** After this many failed tries a message stays `failed` for an operator to replay. */
const maxAttempts = 5;
/** How long a claimed message is this node's before another may take it over. */
export const inboundLeaseSeconds = 120;
/** What an agent is shown of one mail; the rest stays in the raw message. */
const maxBodyCharacters = 20_000;
const maxQuotedCharacters = 100_000;

/** Signs that the From line may not be who sent the mail: such mail never joins a conversation or opens a wallet. */
const untrustedFlags = new Set(['several_from', 'sender_mismatch', 'authentication_failed', 'no_from']);

/** Why a conversation is flagged for an agent's review. */
function reviewReasonsOf(flags: string[]): string[] {
  return flags.filter((flag) => untrustedFlags.has(flag) || flag === 'unreadable' || flag === 'not_a_participant');
}

function domainOf(address: string | null | undefined): string {
  return address?.split('@')[1]?.toLowerCase() ?? '';
}

/** Same organisation: equal domains, or one a subdomain of the other (bounces.example.com for example.com). */
function isAligned(left: string, right: string): boolean {
  return left === right || left.endsWith(`.${right}`) || right.endsWith(`.${left}`);
}

function senderFlags(mail: DecodedMail, envelopeFrom: string | null): string[] {
  const flags: string[] = [];
  if (!mail.from) flags.push('no_from');
  if (mail.fromCount > 1) flags.push('several_from');
  const from = mail.from?.address;
  if (from && envelopeFrom && !isAligned(domainOf(from), domainOf(envelopeFrom))) flags.push('sender_mismatch');
  // The topmost Authentication-Results is the one our own receiving MTA added.
  const results = mail.headers.get('authentication-results')?.[0]?.toLowerCase() ?? '';
  if (/\bdmarc=fail\b/.test(results) || (/\bspf=fail\b/.test(results) && /\bdkim=(fail|none)\b/.test(results))) {
    flags.push('authentication_failed');
  }
  return flags;
}

/**
 * Turns one stored message into what agents work with: a bounce updates deliverability, noise is
 * recorded and dropped, anything else becomes a message in an email conversation (a new one, or
 * the one it continues), with the quoted history folded away, attachments kept, card and ID
 * numbers masked, the promise's due time set, and an acknowledgement sent for a new one. Safe to
 * run twice: the message and the conversation are keyed by the stored mail.
 */
export async function processInbound(deps: SupportDeps, inboundId: string): Promise<void> {
  const claimed = await claimInbound(deps.db, inboundId, inboundLeaseSeconds);
  if (claimed) await processClaimedInbound(deps, claimed);
}

/** The same for a message this node stored already claimed (the SMTP intake), its bytes still in hand. */
export async function processClaimedInbound(deps: SupportDeps, claimed: ClaimedInbound): Promise<void> {
  const inboundId = claimed.id;
  try {
    await processClaimed(deps, claimed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.error({ err: error, inboundId, attempt: claimed.attempts }, 'processing inbound email failed');
    if (claimed.attempts >= maxAttempts) {
      await finishInbound(
        deps.db,
        inboundId,
        { status: 'failed', outcome: 'error', error: message.slice(0, 2000) },
        deps.clock.now(),
      ).catch(() => undefined);
    } else {
      await releaseInbound(deps.db, inboundId, message).catch(() => undefined);
    }
    throw error;
  }
}

async function processClaimed(deps: SupportDeps, claimed: ClaimedInbound): Promise<void> {
  const finish = (result: InboundOutcome) => finishInbound(deps.db, claimed.id, result, deps.clock.now());
  if (!claimed.raw) return finish({ status: 'failed', outcome: 'raw_pruned', error: 'the raw message is no longer kept' });
  const addresses = addressesFor(deps.config);
  const flags: string[] = [];
  if (claimed.raw.includes(0)) flags.push('nul_removed');
  let mail: DecodedMail;
  try {
    mail = await decodeMail(claimed.raw);
  } catch (error) {
    if (!(error instanceof UnreadableMailError)) throw error;
    mail = salvageMail(claimed.raw);
    flags.push('unreadable');
  }

  const recipients = claimed.envelopeTo.map((address) => addresses.recipient(address)).filter((item) => item !== null);
  const headerRecipients = [...mail.to, ...mail.cc].map((item) => addresses.recipient(item.address)).filter((item) => item !== null);
  const bounceTokens = recipients.flatMap((item) => (item.kind === 'bounce' ? [item.token] : []));
  const replyTokens = [...new Set([...recipients, ...headerRecipients].flatMap((item) => (item.kind === 'reply' ? [item.token] : [])))];
  const envelopeFrom = claimed.envelopeFrom;

  // Delivery reports about mail we sent: they update deliverability and never become tickets.
  if (mail.deliveryStatus !== null) {
    const bounce = await handleBounce(deps, mail, bounceTokens);
    return finish({ status: 'processed', outcome: 'bounce', conversationId: bounce.conversationId, flags });
  }
  const reason = noAckReason(mail, envelopeFrom, addresses.own);
  if (reason === 'loop' || reason === 'own_address') return finish({ status: 'ignored', outcome: reason, flags });
  const isDaemon = envelopeFrom === '' || /^(mailer-daemon|postmaster)@/i.test(mail.from?.address ?? '');
  if (bounceTokens.length > 0 || (reason === 'mailer_daemon' && isDaemon && isDaemonAddress(mail.from?.address ?? 'mailer-daemon@x'))) {
    // A bounce that is not an RFC 3464 report: kept as raw mail, no ticket.
    return finish({ status: 'ignored', outcome: 'mailer_daemon', flags });
  }

  const sender = mail.from?.address ?? (envelopeFrom ? envelopeFrom.toLowerCase() : null);
  flags.push(...senderFlags(mail, envelopeFrom));
  const isUntrusted = flags.some((flag) => untrustedFlags.has(flag));
  const isForwarded = isForwardSubject(mail.subject);
  let parts = isForwarded ? { body: mail.text.trim(), quoted: '' } : splitReply(mail.text);
  if (parts.body.length > maxBodyCharacters) {
    flags.push('truncated');
    parts = { body: parts.body.slice(0, maxBodyCharacters), quoted: parts.quoted };
  }
  const quoted = parts.quoted.slice(0, maxQuotedCharacters);

  // Which conversation: one a previous attempt already chose, or the one this mail continues.
  let conversation: ConversationRow | undefined = claimed.conversationId
    ? await findConversation(deps.db, claimed.conversationId)
    : undefined;
  // Only creating a conversation ties it to the stored mail before the end: a retry continues it as new.
  let isNew = conversation !== undefined;
  const context: Record<string, unknown> = {};
  if (!conversation && !isForwarded && !isUntrusted) {
    const match = await matchThread(deps.db, mail, replyTokens);
    const found = match ? await findConversation(deps.db, match.conversationId) : undefined;
    if (found) {
      const writers = await conversationWriters(deps.db, found.id);
      if (!sender || !writers.has(sender)) {
        // Knowing a reference is no licence to write into someone else's conversation.
        flags.push('not_a_participant');
        context.mentionedReference = found.reference;
      } else if (found.status === 'closed') {
        context.followUpOf = found.reference;
      } else {
        conversation = found;
        context.via = match?.via;
      }
    }
  }

  if (conversation && !isNew && isAutomatic(reason)) {
    // An out-of-office answer to our mail: the agent sees it happened, the conversation stays as it is.
    const existing = conversation;
    await withTransaction(deps.pool, async (tx) => {
      await recordConversationEvent(
        tx,
        existing.id,
        'email_auto_reply',
        { kind: 'system' },
        {
          from: sender,
          subject: mail.subject.slice(0, 200),
          preview: maskSensitive(parts.body.slice(0, 300)).text,
        },
      );
      await finishInbound(
        tx,
        claimed.id,
        { status: 'processed', outcome: 'auto_reply', conversationId: existing.id, flags },
        deps.clock.now(),
      );
    });
    deps.notifier.conversationUpdated(existing, { type: 'email' });
    return;
  }
  // A plain new mail (no attachments, nothing to review): the whole write is one database call.
  const isPlainNew = !conversation && mail.attachments.length === 0 && reviewReasonsOf(flags).length === 0;
  // The same mail again by another path (reply-all to two of our addresses, a relay's retry with
  // its own Received line): the Message-ID and sender give it away (the one call checks it itself).
  if (!isNew && !isPlainNew && mail.messageId && sender) {
    const earlier = await findInboundByMessageId(deps.db, mail.messageId, sender);
    if (earlier) return finish({ status: 'ignored', outcome: 'duplicate', conversationId: earlier, flags });
  }

  const customer = sender && !isUntrusted ? await findVerifiedCustomerByEmail(deps.db, sender) : undefined;
  if (isPlainNew) {
    return createFromPlainMail(deps, claimed, { mail, parts, quoted, flags, sender, customer, context, reason, isUntrusted });
  }
  let createdThread: EmailThread | undefined;
  const at = deps.clock.now();
  if (!conversation) {
    const subject = baseSubject(mail.subject) || mail.subject;
    const locale = customer?.locale === 'en' ? 'en' : detectLocale(`${mail.subject}\n${parts.body}`);
    const created = await createConversation(deps, claimed.id, {
      customerId: customer?.id ?? null,
      isVerified: customer !== undefined,
      visitorId: sender ? null : randomUUID(),
      category: guessCategory(mail.subject, parts.body),
      subject: subject.slice(0, 300),
      locale,
      contactName: (mail.from?.name || customer?.displayName || null)?.slice(0, 120) ?? null,
      contactEmail: sender,
      replyAddress: mail.replyTo?.address ?? sender,
      threadIndex: mail.headers.get('thread-index')?.[0] ?? null,
      context,
      at,
    });
    conversation = created.conversation;
    createdThread = created.thread;
    isNew = true;
  } else if (mail.headers.get('thread-index')?.[0]) {
    const header = mail.headers.get('thread-index')?.[0] ?? '';
    await updateThreadIndex(deps.db, conversation.id, header, threadGuid(header));
  }

  const target = conversation;
  const author: Participant =
    customer && target.customerId === customer.id
      ? { kind: 'customer', customerId: customer.id, name: customer.displayName }
      : { kind: 'visitor', visitorId: sender ?? target.visitorId ?? claimed.id, name: mail.from?.name || null };
  const attachments = await keepAttachments(deps.db, {
    conversationId: target.id,
    uploader: { type: author.kind, id: author.kind === 'customer' ? author.customerId : author.kind === 'visitor' ? author.visitorId : '' },
    attachments: mail.attachments,
    maxBytes: deps.config.email.attachmentMaxBytes,
  });
  const firstFile = attachments.find((item) => item.id)?.id ?? null;
  const body = parts.body.trim() || clean(mail.subject) || '—';
  const { message } = await postMessage(deps, {
    conversation: target,
    author,
    body,
    clientMessageId: `email-${claimed.id}`,
    attachmentId: firstFile,
  });

  const maskedQuoted = maskSensitive(quoted);
  const ourRecipient = claimed.envelopeTo.find((address) => addresses.recipient(address) !== null) ?? addresses.support;
  const copied = [...mail.to, ...mail.cc]
    .map((item) => item.address)
    .filter((address) => addresses.recipient(address) === null && address !== sender);
  const mayAcknowledge = isNew && reason === null && !isUntrusted;
  const acknowledgementId = await withTransaction(deps.pool, async (tx) => {
    await recordInboundMessage(tx, {
      message: {
        conversationId: target.id,
        messageId: message.id,
        direction: 'inbound',
        kind: 'message',
        internetMessageId: mail.messageId ?? `<inbound-${claimed.id}@${addresses.domain}>`,
        inReplyTo: mail.inReplyTo,
        references: mail.references.slice(-50),
        fromAddress: sender ?? '',
        recipient: ourRecipient.toLowerCase(),
        cc: [...new Set(copied)].slice(0, 50),
        subject: mail.subject.slice(0, 500),
        quoted: maskedQuoted.text.trim() || null,
        quotedRedactions: maskedQuoted.redactions,
        attachments,
        flags,
        inboundEmailId: claimed.id,
        status: 'received',
      },
      outcome: isNew ? 'new_conversation' : 'threaded',
      at,
    });
    const reviewReasons = reviewReasonsOf(flags);
    if (reviewReasons.length > 0) {
      await recordConversationEvent(tx, target.id, 'email_flagged', { kind: 'system' }, { reasons: reviewReasons, from: sender }, at);
    }
    await publishEvent(tx, {
      type: 'support.email.received',
      subject: { type: 'conversation', id: target.id },
      payload: { inboundEmailId: claimed.id, messageId: message.id, isNewConversation: isNew, flags },
    });
    if (!mayAcknowledge) return null;
    const thread = createdThread ?? (await findThread(tx, target.id));
    if (!thread) return null;
    // RFC 3834 §3.1.1: the answer goes to the envelope sender, not to whoever the From line names.
    const recipient = (envelopeFrom || sender || '').toLowerCase();
    if (!recipient) return null;
    return recordAcknowledgement(deps, tx, {
      thread,
      recipient,
      subject: mail.subject,
      inReplyTo: mail.messageId,
      references: mail.references.slice(-10),
    });
  });
  // A reply may have reopened the conversation: tell the console its state as it is now.
  const current = isNew ? target : ((await findConversation(deps.db, target.id)) ?? target);
  deps.notifier.conversationUpdated(current, { type: isNew ? 'created' : 'email' });
  if (acknowledgementId) await dispatchOutgoing(deps, acknowledgementId);
  if (isNew) void requestRouting(deps);
}

type NewConversationInput = {
  customerId: string | null;
  isVerified: boolean;
  visitorId: string | null;
  category: ReturnType<typeof guessCategory>;
  subject: string;
  locale: 'zh-CN' | 'en';
  contactName: string | null;
  contactEmail: string | null;
  replyAddress: string | null;
  threadIndex: string | null;
  context: Record<string, unknown>;
  at: Date;
};

/** The conversation, its mail thread and its first timeline event, tied to the stored mail in one transaction. */
async function createConversation(
  deps: SupportDeps,
  inboundId: string,
  input: NewConversationInput,
): Promise<{ conversation: ConversationRow; thread: EmailThread }> {
  return withTransaction(deps.pool, async (tx) => {
    const row = await insertEmailConversationWithReference(
      tx,
      {
        customerId: input.customerId,
        isVerified: input.isVerified,
        visitorId: input.visitorId,
        category: input.category,
        subject: input.subject,
        locale: input.locale,
        contactName: input.contactName,
        contactEmail: input.contactEmail,
        assigneeId: null,
        at: input.at,
      },
      () => newReference(randomBytes),
    );
    const guid = threadGuid(input.threadIndex);
    const thread: EmailThread = {
      conversationId: row.id,
      replyToken: newToken(),
      customerAddress: (input.replyAddress ?? input.contactEmail ?? '').toLowerCase(),
      threadGuid: guid,
      threadIndex: guid ? input.threadIndex : null,
      createdAt: input.at,
    };
    await insertThread(tx, thread);
    await recordConversationEvent(
      tx,
      row.id,
      'created',
      { kind: 'system' },
      { channel: 'email', category: input.category, ...input.context },
      input.at,
    );
    await setInboundConversation(tx, inboundId, row.id);
    return { conversation: row, thread };
  });
}

type PlainMail = {
  mail: DecodedMail;
  parts: { body: string };
  quoted: string;
  flags: string[];
  sender: string | null;
  customer: Awaited<ReturnType<typeof findVerifiedCustomerByEmail>>;
  context: Record<string, unknown>;
  reason: ReturnType<typeof noAckReason>;
  isUntrusted: boolean;
};

/**
 * A new conversation from a plain mail in one database call: everything the separate steps above
 * write (conversation, thread, timeline, message, mail row, acknowledgement, the stored mail done),
 * decided here and written by okpay_email_new_conversation in one commit.
 */
async function createFromPlainMail(deps: SupportDeps, claimed: ClaimedInbound, input: PlainMail): Promise<void> {
  const { mail, parts, flags, sender, customer, context } = input;
  const addresses = addressesFor(deps.config);
  const at = deps.clock.now();
  const conversationId = randomUUID();
  const visitorId = sender ? null : randomUUID();
  const category = guessCategory(mail.subject, parts.body);
  const headerIndex = mail.headers.get('thread-index')?.[0] ?? null;
  const guid = threadGuid(headerIndex);
  const threadIndex = guid ? headerIndex : null;
  const author: Participant = customer
    ? { kind: 'customer', customerId: customer.id, name: customer.displayName }
    : { kind: 'visitor', visitorId: sender ?? visitorId ?? claimed.id, name: mail.from?.name || null };
  const masked = maskSensitive(parts.body.trim() || clean(mail.subject) || '—');
  const maskedQuoted = maskSensitive(input.quoted);
  const ourRecipient = claimed.envelopeTo.find((address) => addresses.recipient(address) !== null) ?? addresses.support;
  const copied = [...mail.to, ...mail.cc]
    .map((item) => item.address)
    .filter((address) => addresses.recipient(address) === null && address !== sender);
  // RFC 3834 §3.1.1: the answer goes to the envelope sender, not to whoever the From line names.
  const ackRecipient = (claimed.envelopeFrom || sender || '').toLowerCase();
  const ackLimit = deps.config.email.acknowledgementsPerSenderPerHour;
  const acknowledgement =
    input.reason === null && !input.isUntrusted && ackRecipient && ackLimit > 0
      ? {
          limit: ackLimit,
          since: new Date(at.getTime() - 3_600_000),
          recipient: ackRecipient,
          internetMessageId: addresses.newMessageId(),
          inReplyTo: mail.messageId,
          references: [...mail.references.slice(-10), ...(mail.messageId ? [mail.messageId] : [])].slice(-12),
          fromAddress: addresses.support,
          subject: mail.subject,
          bounceToken: newToken(),
          threadIndex: threadIndex
            ? replyThreadIndex(threadIndex, at, Math.floor(Math.random() * 256))
            : newThreadIndex(guid ?? conversationId.replaceAll('-', ''), at),
          threadGuid: guid ? null : conversationId.replaceAll('-', ''),
        }
      : null;
  const base = {
    inboundEmailId: claimed.id,
    conversationId,
    at,
    duplicateMessageId: sender ? mail.messageId : null,
    sender,
    customerId: customer?.id ?? null,
    isVerified: customer !== undefined,
    visitorId,
    category,
    subject: (baseSubject(mail.subject) || mail.subject).slice(0, 300),
    locale: customer?.locale === 'en' ? ('en' as const) : detectLocale(`${mail.subject}\n${parts.body}`),
    contactName: (mail.from?.name || customer?.displayName || null)?.slice(0, 120) ?? null,
    contactEmail: sender,
    replyToken: newToken(),
    customerAddress: (mail.replyTo?.address ?? sender ?? '').toLowerCase(),
    threadGuid: guid,
    threadIndex,
    createdData: { channel: 'email', category, ...context },
    authorType: author.kind === 'customer' ? ('customer' as const) : ('visitor' as const),
    authorId: author.kind === 'customer' ? author.customerId : author.kind === 'visitor' ? author.visitorId : '',
    authorName: author.name,
    body: masked.text,
    redactions: masked.redactions,
    clientMessageId: `email-${claimed.id}`,
    internetMessageId: mail.messageId ?? `<inbound-${claimed.id}@${addresses.domain}>`,
    inReplyTo: mail.inReplyTo,
    references: mail.references.slice(-50),
    recipient: ourRecipient.toLowerCase(),
    cc: [...new Set(copied)].slice(0, 50),
    mailSubject: mail.subject.slice(0, 500),
    quoted: maskedQuoted.text.trim() || null,
    quotedRedactions: maskedQuoted.redactions,
    flags,
    acknowledgement,
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await insertConversationFromMail(deps.db, { ...base, reference: newReference(randomBytes) });
    if (result.kind === 'reference_taken') continue;
    if (result.kind === 'duplicate' || result.kind === 'already_done') return;
    const { conversation, message, acknowledgementId } = result;
    deps.notifier.messageCreated(conversation, toMessageView({ message, attachment: null }));
    deps.notifier.conversationUpdated(conversation, { type: 'created' });
    void requestRouting(deps);
    if (acknowledgementId) await dispatchOutgoingSoon(deps, acknowledgementId);
    return;
  }
  throw new Error('no free conversation reference after 5 draws');
}
