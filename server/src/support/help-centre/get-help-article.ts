import type { HelpArticle, HelpCategory, Locale } from '@okpay/contracts';
import type { Config, Database } from '../../platform/index.js';
import { HelpError } from './help-centre.errors.js';
import { findArticleById, findPublished, publishedLocales, publishedTitles } from './help-centre.repository.js';
import { fillFacts, helpFacts } from './help-facts.js';
import { absoluteLinks, escapeHtml } from './render-article.js';

export type ReadableArticle = HelpArticle & { relativeHtml: string; publishedAt: Date };

/**
 * A published article as customers read it: facts (hours, phone numbers, limits) filled in from
 * the configuration of this moment, related articles and the other language's version.
 */
export async function getHelpArticle(deps: { db: Database; config: Config }, slug: string, locale: Locale): Promise<ReadableArticle> {
  const row = await findPublished(deps.db, slug, locale);
  if (!row) throw HelpError('help_article_not_found');
  const article = await findArticleById(deps.db, row.articleId);
  const facts = await helpFacts(deps, locale);
  const relativeHtml = fillFacts(row.html, facts, escapeHtml);
  const related = await publishedTitles(deps.db, article?.related ?? [], locale);
  const order = new Map((article?.related ?? []).map((item, index) => [item, index]));
  const locales = (await publishedLocales(deps.db, slug)) as Locale[];
  return {
    slug: row.slug,
    locale,
    category: row.category as HelpCategory,
    title: row.title,
    summary: fillFacts(row.summary, facts),
    url: `/help/${row.slug}`,
    updatedAt: row.publishedAt.toISOString(),
    publishedAt: row.publishedAt,
    html: absoluteLinks(relativeHtml, deps.config.publicUrl),
    relativeHtml,
    related: related
      .sort((a, b) => (order.get(a.slug) ?? 0) - (order.get(b.slug) ?? 0))
      .map((item) => ({ slug: item.slug, title: item.title, url: `/help/${item.slug}` })),
    translations: locales.filter((other) => other !== locale).map((other) => ({ locale: other, url: `/help/${slug}?lang=${other}` })),
  };
}
