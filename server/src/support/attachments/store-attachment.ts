import { detectImageType, type Queryable } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import type { Participant } from '../conversations/participant.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { insertAttachment } from './attachments.repository.js';

/** Stores an image sent into a conversation (the caller has checked the uploader may use it); its type is proven by its bytes. */
export async function storeAttachment(
  deps: SupportDeps,
  input: { conversation: ConversationRow; uploader: Participant & { kind: 'customer' | 'visitor' }; fileName: string; bytes: Buffer },
): Promise<{ id: string; fileName: string; mimeType: string; size: number }> {
  const limit = deps.config.support.attachmentMaxBytes;
  if (input.bytes.length > limit) throw SupportError('attachment_too_large', { limit: `${Math.round(limit / 1024 / 1024)} MB` });
  const mimeType = detectImageType(input.bytes);
  if (!mimeType) throw SupportError('attachment_type_not_allowed');
  return storeConversationFile(deps.db, {
    conversationId: input.conversation.id,
    uploader: { type: input.uploader.kind, id: input.uploader.kind === 'customer' ? input.uploader.customerId : input.uploader.visitorId },
    fileName: input.fileName,
    mimeType,
    bytes: input.bytes,
    fallbackName: 'image',
  });
}

/** Stores a file of a conversation whose type the caller has already proven; the name is made safe to show. */
export async function storeConversationFile(
  db: Queryable,
  input: {
    conversationId: string;
    uploader: { type: string; id: string };
    fileName: string;
    mimeType: string;
    bytes: Buffer;
    fallbackName: string;
  },
): Promise<{ id: string; fileName: string; mimeType: string; size: number }> {
  // Cut by code point, so a character outside the BMP is never split into a lone surrogate.
  const fileName =
    Array.from(input.fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_'))
      .slice(0, 120)
      .join('') || input.fallbackName;
  const stored = await insertAttachment(db, {
    conversationId: input.conversationId,
    uploaderType: input.uploader.type,
    uploaderId: input.uploader.id,
    fileName,
    mimeType: input.mimeType,
    size: input.bytes.length,
    data: input.bytes,
  });
  return { id: stored.id, fileName, mimeType: input.mimeType, size: input.bytes.length };
}
