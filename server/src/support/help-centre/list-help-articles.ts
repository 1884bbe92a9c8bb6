import { type HelpArticlePage, helpCategorySchema, helpSlugSchema, type Locale } from '@okpay/contracts';
import { z } from 'zod';
import { cursorCodec, type Database } from '../../platform/index.js';
import { listPublished } from './help-centre.repository.js';

const cursorSchema = z.strictObject({
  category: helpCategorySchema,
  position: z.number().int().min(0).max(10_000),
  slug: helpSlugSchema,
});

// A cursor is the last item's place in list order; anything that does not decode to one is refused.
const cursors = cursorCodec(cursorSchema);

/** Published articles of one language in the order of the help home page (category, then position). */
export async function listHelpArticles(
  db: Database,
  input: { locale: Locale; category?: string; limit: number; cursor?: string },
): Promise<HelpArticlePage> {
  const after = input.cursor ? cursors.decode(input.cursor) : undefined;
  const rows = await listPublished(db, { locale: input.locale, category: input.category, after, limit: input.limit + 1 });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      slug: row.slug,
      locale: row.locale as Locale,
      category: row.category as HelpArticlePage['items'][number]['category'],
      title: row.title,
      summary: row.summary,
      url: `/help/${row.slug}`,
      updatedAt: row.publishedAt.toISOString(),
    })),
    nextCursor:
      rows.length > input.limit && last
        ? cursors.encode({ category: last.category as never, position: last.position, slug: last.slug })
        : null,
  };
}
