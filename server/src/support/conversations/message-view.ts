import type { ChatMessage } from '@okpay/contracts';
import type { MessageRecord } from './conversations.repository.js';

export function toMessageView({ message, attachment }: MessageRecord): ChatMessage {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    authorType: message.authorType,
    authorName: message.authorName,
    body: message.body,
    isInternal: message.isInternal,
    redactions: message.redactions,
    attachment:
      message.attachmentId && attachment
        ? { id: message.attachmentId, fileName: attachment.fileName, mimeType: attachment.mimeType, size: attachment.size }
        : null,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt.toISOString(),
  };
}
