import { detectImageType, type Queryable } from '../../../platform/index.js';
import { storeConversationFile } from '../../attachments/store-attachment.js';
import type { StoredAttachment } from '../email.tables.js';
import type { DecodedAttachment } from '../parsing/decode-mail.js';

/** At most this many files of one mail are kept; the rest are listed as refused. */
const maxAttachments = 10;

const officeTypes: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/**
 * The type the bytes prove, for the kinds of file customers send support: images (screenshots of
 * a failed payment), PDF (bank statements), plain text and CSV, Office documents. Anything else,
 * HTML and executables included, is refused: the agent would open it on their machine.
 */
export function provenType(fileName: string, bytes: Buffer): string | undefined {
  const image = detectImageType(bytes);
  if (image) return image;
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && officeTypes[extension]) return officeTypes[extension];
  if ((extension === 'txt' || extension === 'csv' || extension === 'log') && isPlainText(bytes)) {
    return extension === 'csv' ? 'text/csv' : 'text/plain';
  }
  return undefined;
}

function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Stores the files of a mail that pass the checks; all of them are listed, refused ones with why. */
export async function keepAttachments(
  db: Queryable,
  input: { conversationId: string; uploader: { type: string; id: string }; attachments: DecodedAttachment[]; maxBytes: number },
): Promise<StoredAttachment[]> {
  const kept: StoredAttachment[] = [];
  for (const attachment of input.attachments.filter((candidate) => !candidate.isInline)) {
    const listed = { fileName: attachment.fileName.slice(0, 120), contentType: attachment.contentType, size: attachment.size };
    if (attachment.size > input.maxBytes) {
      kept.push({ ...listed, refused: 'too_large' });
      continue;
    }
    const type = provenType(attachment.fileName, attachment.content);
    if (!type) {
      kept.push({ ...listed, refused: 'type_not_allowed' });
      continue;
    }
    if (kept.filter((item) => item.id).length >= maxAttachments) {
      kept.push({ ...listed, refused: 'too_many' });
      continue;
    }
    const stored = await storeConversationFile(db, {
      conversationId: input.conversationId,
      uploader: input.uploader,
      fileName: attachment.fileName,
      mimeType: type,
      bytes: attachment.content,
      fallbackName: 'attachment',
    });
    kept.push({ id: stored.id, fileName: stored.fileName, contentType: type, size: stored.size });
  }
  return kept;
}
