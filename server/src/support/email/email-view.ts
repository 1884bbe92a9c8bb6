import type { EmailMessageView, EmailThreadView } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { type EmailMessage, findAddressState, findThread, listEmailMessages } from './email.repository.js';

export function toEmailMessageView(row: EmailMessage): EmailMessageView {
  return {
    id: row.id,
    messageId: row.messageId,
    direction: row.direction as EmailMessageView['direction'],
    kind: row.kind as EmailMessageView['kind'],
    subject: row.subject,
    from: row.fromAddress,
    to: row.recipient,
    cc: row.cc,
    quoted: row.quoted,
    quotedRedactions: row.quotedRedactions ?? null,
    attachments: row.attachments.map((item) => ({
      id: item.id ?? null,
      fileName: item.fileName,
      contentType: item.contentType,
      size: item.size,
      refused: item.refused ?? null,
    })),
    flags: row.flags,
    status: row.status as EmailMessageView['status'],
    attempts: row.attempts,
    lastError: row.lastError,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The mail side of an email conversation for the console: where replies go, and every mail both ways. */
export async function emailDetails(
  db: Queryable,
  conversation: ConversationRow,
): Promise<{ thread: EmailThreadView | null; messages: EmailMessageView[] }> {
  if (conversation.channel !== 'email' && !conversation.isOfflineMessage) return { thread: null, messages: [] };
  const [thread, messages] = await Promise.all([findThread(db, conversation.id), listEmailMessages(db, conversation.id)]);
  const address = thread?.customerAddress ?? conversation.contactEmail?.toLowerCase() ?? null;
  const state = address ? await findAddressState(db, address) : undefined;
  return {
    thread: address
      ? {
          address,
          isUndeliverable: Boolean(state?.undeliverableSince),
          bounceStatus: state?.undeliverableSince ? (state.bounceStatus ?? null) : null,
          bounceDiagnostic: state?.undeliverableSince ? (state.bounceDiagnostic ?? null) : null,
        }
      : null,
    messages: messages.map(toEmailMessageView),
  };
}
