import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { staffMembers } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import {
  helpArticles,
  helpArticleVersions,
  helpFeedback,
  helpImages,
  helpSearchIndex,
  helpSearchTerms,
  helpSuggestions,
} from './help-centre.tables.js';

export type HelpArticleRow = typeof helpArticles.$inferSelect;
export type HelpVersionRow = typeof helpArticleVersions.$inferSelect;
export type NewHelpVersion = typeof helpArticleVersions.$inferInsert;
export type HelpIndexRow = typeof helpSearchIndex.$inferSelect;
export type NewHelpIndexRow = Omit<typeof helpSearchIndex.$inferInsert, 'document' | 'revision'>;
export type HelpSuggestionRow = typeof helpSuggestions.$inferSelect;
export type HelpImageRow = typeof helpImages.$inferSelect;
export type HelpVersionWithNames = HelpVersionRow & { authorName: string | null; reviewerName: string | null };

// Articles

export async function findArticleBySlug(db: Queryable, slug: string): Promise<HelpArticleRow | undefined> {
  const [row] = await db.select().from(helpArticles).where(eq(helpArticles.slug, slug));
  return row;
}

export async function findArticleById(db: Queryable, id: string): Promise<HelpArticleRow | undefined> {
  const [row] = await db.select().from(helpArticles).where(eq(helpArticles.id, id));
  return row;
}

/** Locks the article row: versions of one article are numbered and published one at a time. */
export async function lockArticle(db: Queryable, id: string): Promise<HelpArticleRow | undefined> {
  const [row] = await db.select().from(helpArticles).where(eq(helpArticles.id, id)).for('update');
  return row;
}

export async function listArticles(db: Queryable): Promise<HelpArticleRow[]> {
  return db.select().from(helpArticles).orderBy(asc(helpArticles.category), asc(helpArticles.position), asc(helpArticles.slug));
}

export async function insertArticle(db: Queryable, values: typeof helpArticles.$inferInsert): Promise<HelpArticleRow> {
  const [row] = await db.insert(helpArticles).values(values).returning();
  if (!row) throw new Error('help article insert returned nothing');
  return row;
}

export async function updateArticle(
  db: Queryable,
  id: string,
  values: Partial<Pick<HelpArticleRow, 'category' | 'related' | 'position' | 'updatedAt'>>,
): Promise<void> {
  await db.update(helpArticles).set(values).where(eq(helpArticles.id, id));
}

// Versions

const authors = sql`(SELECT display_name FROM staff_members s WHERE s.id = ${helpArticleVersions.authorId})`;
const reviewers = sql`(SELECT display_name FROM staff_members s WHERE s.id = ${helpArticleVersions.reviewerId})`;

export async function listVersions(db: Queryable, articleId: string, locale?: string): Promise<HelpVersionWithNames[]> {
  const rows = await db
    .select({ version: helpArticleVersions, authorName: sql<string | null>`${authors}`, reviewerName: sql<string | null>`${reviewers}` })
    .from(helpArticleVersions)
    .where(and(eq(helpArticleVersions.articleId, articleId), locale ? eq(helpArticleVersions.locale, locale) : undefined))
    .orderBy(asc(helpArticleVersions.locale), desc(helpArticleVersions.version));
  return rows.map((row) => ({ ...row.version, authorName: row.authorName, reviewerName: row.reviewerName }));
}

export async function findVersion(db: Queryable, articleId: string, locale: string, version: number): Promise<HelpVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(helpArticleVersions)
    .where(
      and(eq(helpArticleVersions.articleId, articleId), eq(helpArticleVersions.locale, locale), eq(helpArticleVersions.version, version)),
    );
  return row;
}

/** The published version and the open one (draft or in review), if any. */
export async function currentVersions(
  db: Queryable,
  articleId: string,
  locale: string,
): Promise<{ published?: HelpVersionRow; pending?: HelpVersionRow; latest?: HelpVersionRow }> {
  const rows = await db
    .select()
    .from(helpArticleVersions)
    .where(and(eq(helpArticleVersions.articleId, articleId), eq(helpArticleVersions.locale, locale)))
    .orderBy(desc(helpArticleVersions.version));
  return {
    published: rows.find((row) => row.status === 'published'),
    pending: rows.find((row) => row.status === 'draft' || row.status === 'in_review'),
    latest: rows[0],
  };
}

export async function latestFileVersion(db: Queryable, articleId: string, locale: string): Promise<HelpVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(helpArticleVersions)
    .where(
      and(eq(helpArticleVersions.articleId, articleId), eq(helpArticleVersions.locale, locale), eq(helpArticleVersions.origin, 'file')),
    )
    .orderBy(desc(helpArticleVersions.version))
    .limit(1);
  return row;
}

/** The content hash of the last file imported for each article and language, keyed `slug/locale`. */
export async function latestFileHashes(db: Queryable): Promise<Map<string, string>> {
  const rows = await db
    .selectDistinctOn([helpArticles.slug, helpArticleVersions.locale], {
      slug: helpArticles.slug,
      locale: helpArticleVersions.locale,
      contentHash: helpArticleVersions.contentHash,
    })
    .from(helpArticleVersions)
    .innerJoin(helpArticles, eq(helpArticles.id, helpArticleVersions.articleId))
    .where(eq(helpArticleVersions.origin, 'file'))
    .orderBy(helpArticles.slug, helpArticleVersions.locale, desc(helpArticleVersions.version));
  return new Map(rows.flatMap((row) => (row.contentHash ? [[`${row.slug}/${row.locale}`, row.contentHash] as const] : [])));
}

export async function insertVersion(db: Queryable, values: Omit<NewHelpVersion, 'version'>): Promise<HelpVersionRow> {
  const [row] = await db
    .insert(helpArticleVersions)
    .values({
      ...values,
      version: sql`(SELECT coalesce(max(version), 0) + 1 FROM help_article_versions WHERE article_id = ${values.articleId} AND locale = ${values.locale})`,
    })
    .returning();
  if (!row) throw new Error('help version insert returned nothing');
  return row;
}

export async function updateVersion(
  db: Queryable,
  id: string,
  values: Partial<Omit<HelpVersionRow, 'id' | 'articleId' | 'locale' | 'version'>>,
): Promise<HelpVersionRow> {
  const [row] = await db.update(helpArticleVersions).set(values).where(eq(helpArticleVersions.id, id)).returning();
  if (!row) throw new Error('help version update found nothing');
  return row;
}

/** The newest published version number per locale of an article. */
export async function publishedVersionNumbers(db: Queryable, articleId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ locale: helpArticleVersions.locale, version: helpArticleVersions.version })
    .from(helpArticleVersions)
    .where(and(eq(helpArticleVersions.articleId, articleId), eq(helpArticleVersions.status, 'published')));
  return new Map(rows.map((row) => [row.locale, row.version]));
}

export async function findStaffName(db: Queryable, staffId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: staffMembers.displayName }).from(staffMembers).where(eq(staffMembers.id, staffId));
  return row?.name;
}

// The search index

export async function findIndexRow(db: Queryable, articleId: string, locale: string): Promise<HelpIndexRow | undefined> {
  const [row] = await db
    .select()
    .from(helpSearchIndex)
    .where(and(eq(helpSearchIndex.articleId, articleId), eq(helpSearchIndex.locale, locale)));
  return row;
}

export async function upsertIndexRow(db: Queryable, row: NewHelpIndexRow): Promise<void> {
  const { articleId, locale, ...rest } = row;
  await db
    .insert(helpSearchIndex)
    .values(row)
    .onConflictDoUpdate({ target: [helpSearchIndex.articleId, helpSearchIndex.locale], set: rest });
}

export async function updateIndexedArticle(
  db: Queryable,
  articleId: string,
  values: { slug?: string; category?: string; position?: number },
) {
  await db.update(helpSearchIndex).set(values).where(eq(helpSearchIndex.articleId, articleId));
}

/**
 * Keeps the per-language term table (documents containing each term, and its pinyin) in step with
 * one index row's change: terms it lost count one document less, terms it gained one more.
 */
export async function adjustTermCounts(
  db: Queryable,
  locale: string,
  removed: string[],
  added: Array<{ term: string; pinyin: string | null }>,
): Promise<void> {
  if (removed.length > 0) {
    await db
      .update(helpSearchTerms)
      .set({ documents: sql`greatest(${helpSearchTerms.documents} - 1, 0)` })
      .where(and(eq(helpSearchTerms.locale, locale), inArray(helpSearchTerms.term, removed)));
  }
  for (let start = 0; start < added.length; start += 500) {
    const chunk = added.slice(start, start + 500);
    await db
      .insert(helpSearchTerms)
      .values(chunk.map((entry) => ({ locale, term: entry.term, pinyin: entry.pinyin, documents: 1 })))
      .onConflictDoUpdate({
        target: [helpSearchTerms.locale, helpSearchTerms.term],
        set: { documents: sql`${helpSearchTerms.documents} + 1` },
      });
  }
}

/** Recounts the term table from the index itself (after a bulk import). */
export async function recountTerms(db: Queryable, locale: string, pinyinOf: (term: string) => string | undefined): Promise<void> {
  const stats = await db.execute<{ word: string; ndoc: number }>(
    sql`SELECT word, ndoc FROM ts_stat(${`SELECT document FROM help_search_index WHERE locale = '${locale === 'en' ? 'en' : 'zh-CN'}'`})`,
  );
  await db.delete(helpSearchTerms).where(eq(helpSearchTerms.locale, locale));
  const rows = stats.rows.map((row) => ({ locale, term: row.word, documents: Number(row.ndoc), pinyin: pinyinOf(row.word) ?? null }));
  for (let start = 0; start < rows.length; start += 1000) await db.insert(helpSearchTerms).values(rows.slice(start, start + 1000));
}

export type TermStats = { term: string; documents: number; pinyin: string | null };

/** Document counts of the given terms, and the terms that sound like the given pinyin. */
export async function lookUpTerms(db: Queryable, locale: string, terms: string[], pinyins: string[]): Promise<TermStats[]> {
  const result = await db.$client.query<TermStats>({
    name: 'help_look_up_terms',
    // Two index lookups rather than one OR, which would scan the table.
    text: `SELECT term, documents, pinyin FROM help_search_terms WHERE locale = $1 AND documents > 0 AND term = ANY($2::text[])
           UNION
           SELECT term, documents, pinyin FROM help_search_terms WHERE locale = $1 AND documents > 0 AND pinyin = ANY($3::text[])`,
    values: [locale, terms, pinyins],
  });
  return result.rows;
}

/** The closest known Latin word to each unknown one (typo tolerance by trigram similarity). */
export async function closestTerms(
  db: Queryable,
  locale: string,
  words: string[],
): Promise<Array<{ typed: string; term: string; documents: number }>> {
  const result = await db.$client.query<{ typed: string; term: string; documents: number }>({
    name: 'help_closest_terms',
    text: `SELECT typed, match.term, match.documents FROM unnest($2::text[]) AS typed,
             LATERAL (SELECT term, documents FROM help_search_terms
                       WHERE locale = $1 AND documents > 0 AND term % typed AND term ~ '^[a-z]'
                       ORDER BY similarity(term, typed) DESC, documents DESC LIMIT 1) match`,
    values: [locale, words],
  });
  return result.rows;
}

/** The revision of a language's search index: it grows with every change to one of its rows. */
export async function readSearchRevision(db: Queryable, locale: string): Promise<number> {
  const result = await db.$client.query<{ revision: string }>({
    name: 'help_search_revision',
    text: 'SELECT revision FROM help_search_revisions WHERE locale = $1',
    values: [locale],
  });
  return Number(result.rows[0]?.revision ?? 0);
}

export type IndexedText = {
  articleId: string;
  slug: string;
  position: number;
  title: string;
  summary: string;
  plainText: string;
  titleTokens: string;
  keywordTokens: string;
  bodyTokens: string;
  titleNormalised: string;
};

/**
 * The index rows of a language changed after `after` (all of them for -1), and the revision they
 * bring the reader to: read in one snapshot, so nothing at or below it is missed.
 */
export async function listIndexChanges(db: Queryable, locale: string, after: number): Promise<{ revision: number; rows: IndexedText[] }> {
  const result = await db.$client.query<IndexedText & { upTo: string }>({
    name: 'help_search_changes',
    text: `SELECT r.revision AS "upTo", i.article_id AS "articleId", i.slug, i.position, i.title, i.summary,
                  i.plain_text AS "plainText", i.title_tokens AS "titleTokens", i.keyword_tokens AS "keywordTokens",
                  i.body_tokens AS "bodyTokens", i.title_normalised AS "titleNormalised"
             FROM help_search_revisions r
             LEFT JOIN help_search_index i ON i.locale = r.locale AND i.revision > $2
            WHERE r.locale = $1`,
    values: [locale, after],
  });
  const revision = Number(result.rows[0]?.upTo ?? 0);
  const rows = result.rows.filter((row) => row.articleId !== null).map(({ upTo: _, ...row }) => row);
  return { revision, rows };
}

export type SearchHit = { slug: string; title: string; summary: string; plainText: string; score: number };

export type PublishedSummary = Pick<HelpIndexRow, 'slug' | 'locale' | 'category' | 'title' | 'summary' | 'position' | 'publishedAt'>;

/** Published articles in list order (category, position, slug), after the given position. */
export async function listPublished(
  db: Queryable,
  input: { locale: string; category?: string; after?: { category: string; position: number; slug: string }; limit: number },
): Promise<PublishedSummary[]> {
  const after = input.after;
  return db
    .select({
      slug: helpSearchIndex.slug,
      locale: helpSearchIndex.locale,
      category: helpSearchIndex.category,
      title: helpSearchIndex.title,
      summary: helpSearchIndex.summary,
      position: helpSearchIndex.position,
      publishedAt: helpSearchIndex.publishedAt,
    })
    .from(helpSearchIndex)
    .where(
      and(
        eq(helpSearchIndex.locale, input.locale),
        input.category ? eq(helpSearchIndex.category, input.category) : undefined,
        after
          ? or(
              gt(helpSearchIndex.category, after.category),
              and(eq(helpSearchIndex.category, after.category), gt(helpSearchIndex.position, after.position)),
              and(
                eq(helpSearchIndex.category, after.category),
                eq(helpSearchIndex.position, after.position),
                gt(helpSearchIndex.slug, after.slug),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(asc(helpSearchIndex.category), asc(helpSearchIndex.position), asc(helpSearchIndex.slug))
    .limit(input.limit);
}

export async function findPublished(db: Queryable, slug: string, locale: string): Promise<HelpIndexRow | undefined> {
  const [row] = await db
    .select()
    .from(helpSearchIndex)
    .where(and(eq(helpSearchIndex.slug, slug), eq(helpSearchIndex.locale, locale)));
  return row;
}

export async function publishedLocales(db: Queryable, slug: string): Promise<string[]> {
  const rows = await db.select({ locale: helpSearchIndex.locale }).from(helpSearchIndex).where(eq(helpSearchIndex.slug, slug));
  return rows.map((row) => row.locale);
}

export async function publishedTitles(db: Queryable, slugs: string[], locale: string): Promise<Array<{ slug: string; title: string }>> {
  if (slugs.length === 0) return [];
  return db
    .select({ slug: helpSearchIndex.slug, title: helpSearchIndex.title })
    .from(helpSearchIndex)
    .where(and(inArray(helpSearchIndex.slug, slugs), eq(helpSearchIndex.locale, locale)));
}

// Feedback, suggestions, images

export async function insertFeedback(db: Queryable, values: typeof helpFeedback.$inferInsert): Promise<void> {
  await db.insert(helpFeedback).values(values);
}

export async function feedbackCounts(db: Queryable, articleId: string): Promise<Array<{ locale: string; yes: number; no: number }>> {
  return db
    .select({
      locale: helpFeedback.locale,
      yes: sql<number>`count(*) filter (where ${helpFeedback.isHelpful})::int`,
      no: sql<number>`count(*) filter (where not ${helpFeedback.isHelpful})::int`,
    })
    .from(helpFeedback)
    .where(eq(helpFeedback.articleId, articleId))
    .groupBy(helpFeedback.locale);
}

export async function insertSuggestion(db: Queryable, values: typeof helpSuggestions.$inferInsert): Promise<HelpSuggestionRow> {
  const [row] = await db.insert(helpSuggestions).values(values).returning();
  if (!row) throw new Error('help suggestion insert returned nothing');
  return row;
}

export async function findSuggestion(db: Queryable, id: string): Promise<HelpSuggestionRow | undefined> {
  const [row] = await db.select().from(helpSuggestions).where(eq(helpSuggestions.id, id));
  return row;
}

export async function updateSuggestion(
  db: Queryable,
  id: string,
  values: Partial<Omit<HelpSuggestionRow, 'id'>>,
): Promise<HelpSuggestionRow | undefined> {
  const [row] = await db.update(helpSuggestions).set(values).where(eq(helpSuggestions.id, id)).returning();
  return row;
}

export async function insertImage(db: Queryable, values: typeof helpImages.$inferInsert): Promise<{ id: string }> {
  const [row] = await db.insert(helpImages).values(values).returning({ id: helpImages.id });
  if (!row) throw new Error('help image insert returned nothing');
  return row;
}

export async function findImage(db: Queryable, id: string): Promise<HelpImageRow | undefined> {
  const [row] = await db.select().from(helpImages).where(eq(helpImages.id, id));
  return row;
}
