import type { Locale } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { adjustTermCounts, findIndexRow, type HelpArticleRow, type HelpVersionRow, upsertIndexRow } from './help-centre.repository.js';
import { fillFacts, type HelpFacts } from './help-facts.js';
import { articlePlainText, renderArticleHtml } from './render-article.js';
import { noteSearchIndexWrite } from './search/memory-index.js';
import { indexTokens, normaliseTitle, pinyinOf, type Segmenter } from './search/search-text.js';

function tokenSet(...texts: string[]): Set<string> {
  return new Set(texts.flatMap((text) => text.split(' ')).filter(Boolean));
}

/**
 * Makes a published version what customers read and search finds, in the caller's transaction:
 * rendered, sanitised HTML, plain text and segmented tokens (with facts such as hours filled in),
 * and the term counts ranking uses.
 */
export async function indexPublishedVersion(
  db: Queryable,
  input: { article: HelpArticleRow; version: HelpVersionRow; facts: HelpFacts; segmenter?: Segmenter; skipTermCounts?: boolean },
): Promise<void> {
  const { article, version, facts, segmenter } = input;
  const html = renderArticleHtml(version.body);
  // Stored with its placeholders, filled when shown; indexed with the facts of now.
  const plainText = articlePlainText(html);
  const summary = fillFacts(version.summary, facts);
  const titleTokens = indexTokens(version.title, segmenter);
  const keywordTokens = indexTokens(version.keywords.join(' \n '), segmenter);
  const bodyTokens = indexTokens(`${summary}\n${fillFacts(plainText, facts)}`, segmenter);
  if (!input.skipTermCounts) {
    const previous = await findIndexRow(db, article.id, version.locale);
    const before = previous ? tokenSet(previous.titleTokens, previous.keywordTokens, previous.bodyTokens) : new Set<string>();
    const after = tokenSet(titleTokens, keywordTokens, bodyTokens);
    await adjustTermCounts(
      db,
      version.locale,
      Array.from(before).filter((term) => !after.has(term)),
      Array.from(after)
        .filter((term) => !before.has(term))
        .map((term) => ({ term, pinyin: pinyinOf(term) ?? null })),
    );
  }
  noteSearchIndexWrite();
  await upsertIndexRow(db, {
    articleId: article.id,
    locale: version.locale as Locale,
    versionId: version.id,
    slug: article.slug,
    category: article.category,
    position: article.position,
    title: version.title,
    summary: version.summary,
    html,
    plainText,
    titleTokens,
    keywordTokens,
    bodyTokens,
    titleNormalised: normaliseTitle(version.title),
    publishedAt: version.publishedAt ?? new Date(),
    updatedAt: new Date(),
  });
}
