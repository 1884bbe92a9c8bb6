import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpCategorySchema, helpSlugSchema, type Locale, locales } from '@okpay/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Config, type Database, holdTransactionLock, type Logger, withTransaction } from '../../platform/index.js';
import {
  currentVersions,
  findArticleBySlug,
  insertArticle,
  insertVersion,
  latestFileHashes,
  latestFileVersion,
  publishedVersionNumbers,
  recountTerms,
  updateVersion,
} from './help-centre.repository.js';
import { helpFacts, unknownFacts } from './help-facts.js';
import { indexPublishedVersion } from './index-article.js';
import { pinyinOf, type Segmenter } from './search/search-text.js';

export const defaultContentDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/help');

const frontMatterSchema = z.strictObject({
  slug: helpSlugSchema,
  category: helpCategorySchema,
  title: z.string().trim().min(2).max(120),
  summary: z.string().trim().max(300).default(''),
  keywords: z.array(z.coerce.string().trim().min(1)).default([]),
  related: z.array(helpSlugSchema).default([]),
  position: z.number().int().min(0).max(10_000).default(100),
});

export type ContentFile = z.infer<typeof frontMatterSchema> & { locale: Locale; body: string; file: string; hash: string };

/** Reads `<dir>/<locale>/*.md`: YAML front matter between `---` lines, then the Markdown body. */
export async function readContentFiles(dir: string): Promise<ContentFile[]> {
  const files: ContentFile[] = [];
  for (const locale of locales) {
    const localeDir = path.join(dir, locale);
    const names = (await readdir(localeDir).catch(() => [] as string[])).filter((name) => name.endsWith('.md')).sort();
    for (const name of names) {
      const file = path.join(localeDir, name);
      const text = (await readFile(file, 'utf8')).replace(/\r\n/g, '\n');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`${file}: no front matter (--- … ---) at the top`);
      const parsed = frontMatterSchema.safeParse(parseYaml(match[1] ?? ''));
      if (!parsed.success)
        throw new Error(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      const body = (match[2] ?? '').trim();
      const hash = createHash('sha256')
        .update(JSON.stringify([parsed.data.title, parsed.data.summary, parsed.data.keywords, body]))
        .digest('hex');
      files.push({ ...parsed.data, locale, body, file, hash });
    }
  }
  return files;
}

export type ImportReport = { published: number; drafted: number; kept: number; unchanged: number };

/** Any constant works; nodes starting together take turns. */
const importLockId = 4_207_312;

/**
 * Brings the articles shipped in the repository into the database, idempotently (a file's content
 * hash is imported once). Staff edits win: a changed file replaces the published text only while
 * that text is still the shipped one; otherwise it becomes a draft for an editor to review, and
 * while an editor's draft is open the file waits. Category, related articles and order come from
 * the files when an article is first imported; after that the console owns them.
 */
export async function importHelpContent(
  deps: { db: Database; config: Config; logger: Logger },
  options: { dir?: string; segmenter?: Segmenter } = {},
): Promise<ImportReport> {
  const files = await readContentFiles(options.dir ?? defaultContentDir);
  const report: ImportReport = { published: 0, drafted: 0, kept: 0, unchanged: 0 };
  const factsIn = { 'zh-CN': await helpFacts(deps, 'zh-CN'), en: await helpFacts(deps, 'en') } satisfies Record<Locale, unknown>;
  for (const file of files) {
    const problems = unknownFacts(`${file.title} ${file.summary} ${file.body}`, factsIn[file.locale]);
    if (problems.length > 0) throw new Error(`${file.file}: unknown facts ${problems.map((name) => `{{${name}}}`).join(', ')}`);
  }
  // Every start after the first: nothing changed, one query.
  const imported = await latestFileHashes(deps.db);
  if (files.every((file) => imported.get(`${file.slug}/${file.locale}`) === file.hash)) return { ...report, unchanged: files.length };
  const touched = new Set<Locale>();
  await withTransaction(deps.db.$client, async (tx) => {
    await holdTransactionLock(tx, importLockId);
    const bySlug = new Map<string, ContentFile[]>();
    for (const file of files) bySlug.set(file.slug, [...(bySlug.get(file.slug) ?? []), file]);
    for (const [slug, group] of bySlug) {
      // The source language is written first; its translation follows it.
      const ordered = [...group].sort((a, b) => (a.locale === 'zh-CN' ? -1 : 1) - (b.locale === 'zh-CN' ? -1 : 1));
      const first = ordered[0];
      if (!first) continue;
      const article =
        (await findArticleBySlug(tx, slug)) ??
        (await insertArticle(tx, {
          slug,
          category: first.category,
          related: first.related,
          position: first.position,
          sourceLocale: first.locale,
        }));
      for (const file of ordered) {
        const lastImported = await latestFileVersion(tx, article.id, file.locale);
        if (lastImported?.contentHash === file.hash) {
          report.unchanged += 1;
          continue;
        }
        const { published, pending } = await currentVersions(tx, article.id, file.locale);
        if (pending) {
          deps.logger.warn({ slug, locale: file.locale }, 'help article file changed while an editor has a draft open; the file waits');
          report.kept += 1;
          continue;
        }
        const sourceVersion =
          file.locale === article.sourceLocale ? null : ((await publishedVersionNumbers(tx, article.id)).get(article.sourceLocale) ?? null);
        const fields = {
          title: file.title,
          summary: file.summary,
          body: file.body,
          keywords: file.keywords,
          origin: 'file',
          contentHash: file.hash,
          sourceVersion,
        };
        const isStillShipped = !published || published.origin === 'file';
        if (!isStillShipped) {
          await insertVersion(tx, { articleId: article.id, locale: file.locale, status: 'draft', ...fields });
          report.drafted += 1;
          continue;
        }
        const now = new Date();
        if (published) await updateVersion(tx, published.id, { status: 'superseded', updatedAt: now });
        const version = await insertVersion(tx, {
          articleId: article.id,
          locale: file.locale,
          status: 'published',
          publishedAt: now,
          ...fields,
        });
        await indexPublishedVersion(tx, {
          article,
          version,
          facts: factsIn[file.locale],
          segmenter: options.segmenter,
          skipTermCounts: true,
        });
        touched.add(file.locale);
        report.published += 1;
      }
    }
    for (const locale of touched) await recountTerms(tx, locale, pinyinOf);
  });
  return report;
}
