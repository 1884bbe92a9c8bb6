import type { HelpImage } from '@okpay/contracts';
import { detectImageType, type Queryable } from '../../platform/index.js';
import { HelpError } from './help-centre.errors.js';
import { insertImage } from './help-centre.repository.js';

/** The largest image an article may show. */
export const articleImageMaxBytes = 2 * 1024 * 1024;

/** Keeps an image for articles, its type proven by its bytes, and answers the Markdown that shows it. */
export async function storeArticleImage(db: Queryable, input: { bytes: Buffer; uploadedBy: string }): Promise<HelpImage> {
  if (input.bytes.length > articleImageMaxBytes) throw HelpError('help_image_too_large', { limit: '2 MB' });
  const contentType = detectImageType(input.bytes);
  if (!contentType) throw HelpError('help_image_type');
  const { id } = await insertImage(db, { contentType, byteSize: input.bytes.length, bytes: input.bytes, uploadedBy: input.uploadedBy });
  const url = `/help/images/${id}`;
  return { id, url, markdown: `![](${url})` };
}
