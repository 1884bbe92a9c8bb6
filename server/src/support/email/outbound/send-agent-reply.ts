import {
  type BatchHandler,
  type EventContext,
  type PublishedEvent,
  publishEvent,
  type Queryable,
  type Transaction,
} from '../../../platform/index.js';
import { type ConversationRow, findEmailConversationsOfMessages } from '../../conversations/conversations.repository.js';
import type { SupportDeps } from '../../support-deps.js';
import { type EmailThread, findThread, insertThread, threadHistory } from '../email.repository.js';
import { newToken } from '../email-addresses.js';
import { addressesFor } from '../email-context.js';
import { baseSubject } from '../parsing/subject.js';
import { dispatchOutgoing, recordOutgoing } from './queue-email.js';
import { replySubject } from './render-support-email.js';

/** At most this many ids in References: the thread's first, then the newest. */
const maxReferences = 12;

export function referencesFor(history: Array<{ internetMessageId: string; references: string[]; direction: string }>): {
  inReplyTo: string | null;
  references: string[];
} {
  // The parent is the customer's latest mail; in a conversation we started, our own latest.
  const last = history.findLast((item) => item.direction === 'inbound') ?? history.at(-1);
  if (!last) return { inReplyTo: null, references: [] };
  // RFC 5322 §3.6.4: the parent's References plus the parent. Our first Message-ID stays first:
  // providers rewrite Message-IDs but leave References alone. Our later mails go in too, so a
  // reply to any of them threads.
  const ours = history.filter((item) => item.direction === 'outbound').map((item) => item.internetMessageId);
  const chain = [...new Set([history[0]?.internetMessageId ?? '', ...last.references, ...ours, last.internetMessageId].filter(Boolean))];
  const references = chain.length > maxReferences ? [chain[0] ?? '', ...chain.slice(-(maxReferences - 1))] : chain;
  return { inReplyTo: last.internetMessageId, references };
}

/** The conversation's mail thread, made on first use (a conversation started from the widget's offline form). */
export async function ensureThread(db: Queryable, conversation: ConversationRow): Promise<EmailThread | undefined> {
  const existing = await findThread(db, conversation.id);
  if (existing) return existing;
  const address = conversation.contactEmail?.toLowerCase();
  if (!address) return undefined;
  await insertThread(db, { conversationId: conversation.id, replyToken: newToken(), customerAddress: address });
  return findThread(db, conversation.id);
}

type MessagePosted = { messageId: string; authorType: string; isInternal: boolean };

/**
 * An agent answered an email conversation (the widget's offline messages are email conversations
 * too): the answer goes out as mail that threads in the customer's app. Subscribed to
 * message-posted; the mail is recorded and its delivery queued in the handler's transaction, so
 * each answer is mailed once, even when a node stops right after the agent pressed send. One
 * statement per batch finds which answers are in email conversations (in chat, none are).
 */
export function emailAgentReplies(deps: SupportDeps): BatchHandler {
  return async (events: readonly PublishedEvent[], { tx }: EventContext) => {
    const answers = events
      .map((event) => event.payload as MessagePosted)
      .filter((posted) => posted.authorType === 'agent' && !posted.isInternal);
    const found = await findEmailConversationsOfMessages(
      tx,
      answers.map((posted) => posted.messageId),
    );
    for (const posted of answers) {
      const conversation = found.get(posted.messageId);
      if (conversation) await queueAgentReply(deps, tx, conversation, posted.messageId);
    }
  };
}

/** Records the answer as an outgoing mail and queues its delivery, in the caller's transaction. */
async function queueAgentReply(deps: SupportDeps, tx: Transaction, conversation: ConversationRow, messageId: string): Promise<void> {
  const thread = await ensureThread(tx, conversation);
  if (!thread) {
    deps.logger.warn({ conversationId: conversation.id }, 'email reply without an address to send to');
    return;
  }
  const at = deps.clock.now();
  const addresses = addressesFor(deps.config);
  const history = await threadHistory(tx, conversation.id);
  const { inReplyTo, references } = referencesFor(history);
  const reference = conversation.reference ?? '';
  const subject = replySubject(baseSubject(conversation.subject ?? history[0]?.subject ?? ''), reference, history.length === 0);
  const id = await recordOutgoing(
    tx,
    thread,
    {
      conversationId: conversation.id,
      messageId,
      kind: 'reply',
      internetMessageId: addresses.newMessageId(),
      inReplyTo,
      references,
      fromAddress: addresses.support,
      recipient: thread.customerAddress,
      subject,
    },
    at,
  );
  await publishEvent(tx, {
    type: 'support.email.reply-queued',
    subject: { type: 'conversation', id: conversation.id },
    payload: { emailMessageId: id, messageId },
  });
  await dispatchOutgoing(deps, id, tx);
}
