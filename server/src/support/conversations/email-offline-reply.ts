import type { EventContext, PublishedEvent } from '../../platform/event-dispatcher.js';
import type { ConversationRow } from './conversation-row.js';
import { offlineReplyEmail } from './offline-reply-email.js';

type MessagePosted = { conversationId: string; messageId: string; authorType: string; isInternal: boolean; isOfflineMessage: boolean };

/**
 * A message left while nobody was online gets its answers by email too: the customer may never
 * come back to the page. Subscribed to message-posted; the mail is queued in the handler's
 * transaction, so each answer is mailed once.
 */
export async function emailOfflineReply(event: PublishedEvent, { tx, mailer }: EventContext): Promise<void> {
  const posted = event.payload as MessagePosted;
  if (posted.authorType !== 'agent' || posted.isInternal || !posted.isOfflineMessage) return;
  const found = await tx.client.query<ConversationRow & { reply: string; agent_name: string | null }>(
    `SELECT c.*, m.body AS reply, m.author_name AS agent_name
     FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1`,
    [posted.messageId],
  );
  const conversation = found.rows[0];
  if (!conversation?.contact_email) return;
  await mailer.send(offlineReplyEmail(conversation, conversation.agent_name ?? '', conversation.reply));
}
