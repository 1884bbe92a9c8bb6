import type { HelpFeedbackRequest } from '@okpay/contracts';
import type pg from 'pg';
import { type Database, publishEvent } from '../../platform/index.js';
import { maskSensitive } from '../masking/mask-sensitive.js';
import { HelpError } from './help-centre.errors.js';
import { findPublished, insertFeedback } from './help-centre.repository.js';

/** "Was this helpful?": the answer and an optional reason, masked like chat text before it is stored. */
export async function recordHelpFeedback(
  deps: { db: Database; pool: pg.Pool },
  slug: string,
  input: HelpFeedbackRequest,
  at: Date,
): Promise<void> {
  const row = await findPublished(deps.db, slug, input.locale);
  if (!row) throw HelpError('help_article_not_found');
  const reason = input.reason ? maskSensitive(input.reason).text : null;
  await insertFeedback(deps.db, {
    articleId: row.articleId,
    locale: input.locale,
    isHelpful: input.isHelpful,
    reason: reason || null,
    createdAt: at,
  });
  await publishEvent(deps.db, {
    type: 'support.help-article.rated',
    subject: { type: 'help_article', id: row.articleId },
    payload: { slug, locale: input.locale, isHelpful: input.isHelpful },
  });
}
