import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { attachments } from '../support.tables.js';

export type AttachmentRow = typeof attachments.$inferSelect;

export async function insertAttachment(db: Queryable, values: typeof attachments.$inferInsert): Promise<AttachmentRow> {
  const [row] = await db.insert(attachments).values(values).returning();
  if (!row) throw new Error('attachment insert returned nothing');
  return row;
}

/** Name, type and size of an image of this conversation (never another conversation's). */
export async function findAttachmentMeta(
  db: Queryable,
  attachmentId: string,
  conversationId: string,
): Promise<Pick<AttachmentRow, 'fileName' | 'mimeType' | 'size'> | undefined> {
  const [row] = await db
    .select({ fileName: attachments.fileName, mimeType: attachments.mimeType, size: attachments.size })
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.conversationId, conversationId)));
  return row;
}

export async function findAttachment(db: Queryable, attachmentId: string): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, attachmentId));
  return row;
}
