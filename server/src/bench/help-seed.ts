import { randomUUID } from 'node:crypto';
import type { Locale } from '@okpay/contracts';
import type pg from 'pg';
import type { loadConfig } from '../platform/config.js';
import { connectDatabase } from '../platform/db/client.js';
import { recountTerms } from '../support/help-centre/help-centre.repository.js';
import { fillFacts, resolveHelpFacts } from '../support/help-centre/help-facts.js';
import { defaultContentDir, readContentFiles } from '../support/help-centre/import-help-content.js';
import { articlePlainText, escapeHtml, renderArticleHtml } from '../support/help-centre/render-article.js';
import { indexTokens, normaliseTitle, pinyinOf } from '../support/help-centre/search/search-text.js';
import { buildHours, noStoredHours } from '../support/hours/support-hours.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Sentence = { text: string; tokens: string[] };

type Row = {
  articleId: string;
  versionId: string;
  slug: string;
  title: string;
  body: string;
  html: string;
  plainText: string;
  titleTokens: string;
  bodyTokens: string;
  titleNormalised: string;
};

/**
 * Synthetic published articles, `count` in all (half per language), 600–2,400 characters of the
 * shipped articles' sentences recombined. Fast: each distinct sentence is rendered and segmented
 * once (sentences end at punctuation, which also ends a segmentation run, so an article's tokens are
 * exactly the union of its sentences'), and rows go in with one multi-row statement per 500.
 * Returns the seconds it took.
 */
export async function seedSyntheticArticles(url: string, config: ReturnType<typeof loadConfig>, count: number): Promise<number> {
  const database = connectDatabase(url, 2, 'okpay-bench-seed');
  const started = performance.now();
  try {
    const files = await readContentFiles(defaultContentDir);
    const random = seeded(42);
    for (const locale of ['zh-CN', 'en'] as Locale[]) {
      const own = files.filter((file) => file.locale === locale);
      const facts = resolveHelpFacts(config, locale, buildHours(noStoredHours), 48);
      const sentences: Sentence[] = Array.from(
        new Set(
          own.flatMap((file) =>
            articlePlainText(renderArticleHtml(file.body))
              .split('\n')
              .flatMap((line) => line.split(/(?<=[。！？.!?])\s*/u))
              .map((part) => part.trim())
              .filter((part) => part.length > 8),
          ),
        ),
        (text) => ({ text, tokens: indexTokens(fillFacts(text, facts)).split(' ').filter(Boolean) }),
      );
      const titles = own.map((file) => file.title);
      const perLocale = Math.floor(count / 2);
      let rows: Row[] = [];
      for (let index = 0; index < perLocale; index += 1) {
        const target = 600 + Math.floor(random() * 1800);
        const paragraphs: string[][] = [[]];
        const tokens = new Set<string>();
        for (let length = 0; length < target; ) {
          const sentence = sentences[Math.floor(random() * sentences.length)] ?? { text: '', tokens: [] };
          paragraphs.at(-1)?.push(sentence.text);
          for (const token of sentence.tokens) tokens.add(token);
          length += sentence.text.length;
          if (random() < 0.15) paragraphs.push([]);
        }
        const texts = paragraphs.filter((paragraph) => paragraph.length > 0).map((paragraph) => paragraph.join(' '));
        const title = `${titles[Math.floor(random() * titles.length)]} ${index}`;
        rows.push({
          articleId: randomUUID(),
          versionId: randomUUID(),
          slug: `bench-${locale === 'en' ? 'en' : 'zh'}-${index}`,
          title,
          body: texts.join('\n\n'),
          html: texts.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n'),
          plainText: texts.join('\n'),
          titleTokens: indexTokens(title),
          bodyTokens: Array.from(tokens).join(' '),
          titleNormalised: normaliseTitle(title),
        });
        if (rows.length === 500 || index === perLocale - 1) {
          await insertRows(database.pool, locale, rows);
          rows = [];
        }
      }
      await recountTerms(database.db, locale, pinyinOf);
    }
    return (performance.now() - started) / 1000;
  } finally {
    await database.close();
  }
}

async function insertRows(pool: pg.Pool, locale: Locale, rows: Row[]): Promise<void> {
  const column = <K extends keyof Row>(key: K) => rows.map((row) => row[key]);
  await pool.query(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS t(article_id, version_id, slug, title, body, html, plain_text, title_tokens, body_tokens, title_normalised)
     ), articles AS (
       INSERT INTO help_articles (id, slug, category, source_locale, position)
       SELECT article_id, slug, 'contact', $1, 1000 FROM input RETURNING id
     ), versions AS (
       INSERT INTO help_article_versions (id, article_id, locale, version, status, title, summary, body, origin, published_at)
       SELECT version_id, article_id, $1, 1, 'published', title, '', body, 'staff', now() FROM input
        WHERE article_id IN (SELECT id FROM articles) RETURNING id
     )
     INSERT INTO help_search_index (article_id, locale, version_id, slug, category, position, title, summary, html, plain_text,
                                    title_tokens, keyword_tokens, body_tokens, title_normalised, published_at, updated_at)
     SELECT article_id, $1, version_id, slug, 'contact', 1000, title, '', html, plain_text, title_tokens, '', body_tokens,
            title_normalised, now(), now()
       FROM input WHERE version_id IN (SELECT id FROM versions)`,
    [
      locale,
      column('articleId'),
      column('versionId'),
      column('slug'),
      column('title'),
      column('body'),
      column('html'),
      column('plainText'),
      column('titleTokens'),
      column('bodyTokens'),
      column('titleNormalised'),
    ],
  );
}
