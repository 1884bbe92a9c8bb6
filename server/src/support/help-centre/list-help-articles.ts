import { type HelpArticlePage, helpCategorySchema, helpSlugSchema, type Locale } from '@okpay/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import { HelpError } from './help-centre.errors.js';
import { listPublished } from './help-centre.repository.js';

const cursorSchema = z.strictObject({
  category: helpCategorySchema,
  position: z.number().int().min(0).max(10_000),
  slug: helpSlugSchema,
});

function encodeCursor(position: z.infer<typeof cursorSchema>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A cursor is the last item's place in list order; anything that does not decode to one is refused. */
function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new Error('not base64url');
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the refusal.
  }
  throw HelpError('help_cursor_invalid');
}

/** Published articles of one language in the order of the help home page (category, then position). */
export async function listHelpArticles(
  db: Database,
  input: { locale: Locale; category?: string; limit: number; cursor?: string },
): Promise<HelpArticlePage> {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
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
        ? encodeCursor({ category: last.category as never, position: last.position, slug: last.slug })
        : null,
  };
}
