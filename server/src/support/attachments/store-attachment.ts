import type pg from 'pg';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';

const signatures: Array<{ mimeType: string; matches: (bytes: Buffer) => boolean }> = [
  { mimeType: 'image/jpeg', matches: (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff },
  { mimeType: 'image/png', matches: (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mimeType: 'image/gif', matches: (bytes) => bytes.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    mimeType: 'image/webp',
    matches: (bytes) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The image type by its first bytes; the name and the browser's claim are not trusted. */
export function detectImageType(bytes: Buffer): string | undefined {
  return signatures.find((signature) => signature.matches(bytes))?.mimeType;
}

export async function storeAttachment(
  deps: SupportDeps,
  input: { conversationId: string; uploader: { type: string; id: string }; fileName: string; bytes: Buffer },
): Promise<{ id: string; fileName: string; mimeType: string; size: number }> {
  const limit = deps.config.support.attachmentMaxBytes;
  if (input.bytes.length > limit) throw SupportError('attachment_too_large', { limit: `${Math.round(limit / 1024 / 1024)} MB` });
  const mimeType = detectImageType(input.bytes);
  if (!mimeType) throw SupportError('attachment_type_not_allowed');
  return insertAttachment(deps.pool, { ...input, mimeType, fallbackName: 'image' });
}

/** Stores a file of a conversation whose type the caller has already proven; the name is made safe to show. */
export async function insertAttachment(
  db: pg.Pool | pg.PoolClient,
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
  const result = await db.query<{ id: string }>(
    `INSERT INTO attachments (conversation_id, uploader_type, uploader_id, file_name, mime_type, size, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [input.conversationId, input.uploader.type, input.uploader.id, fileName, input.mimeType, input.bytes.length, input.bytes],
  );
  return { id: result.rows[0]?.id ?? '', fileName, mimeType: input.mimeType, size: input.bytes.length };
}
