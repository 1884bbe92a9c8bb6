import type {
  HelpCategory,
  HelpCreateArticleRequest,
  HelpEditableFields,
  HelpLocaleState,
  HelpSaveDraftRequest,
  HelpStaffArticle,
  HelpVersion,
  Locale,
} from '@okpay/contracts';
import { locales } from '@okpay/contracts';
import type pg from 'pg';
import { type Config, type Database, publishEvent, withTransaction } from '../../platform/index.js';
import { HelpError } from './help-centre.errors.js';
import {
  currentVersions,
  feedbackCounts,
  findArticleById,
  findArticleBySlug,
  findVersion,
  type HelpArticleRow,
  type HelpVersionRow,
  type HelpVersionWithNames,
  insertArticle,
  insertVersion,
  listArticles,
  listVersions,
  lockArticle,
  publishedVersionNumbers,
  updateArticle,
  updateIndexedArticle,
  updateVersion,
} from './help-centre.repository.js';
import { fillFacts, helpFacts, unknownFacts } from './help-facts.js';
import { indexPublishedVersion } from './index-article.js';
import { escapeHtml, renderArticleHtml } from './render-article.js';
import { noteSearchIndexWrite } from './search/memory-index.js';

export type EditDeps = { db: Database; pool: pg.Pool; config: Config; clock: { now(): Date } };
export type Editor = { staffId: string; role: string };

function toVersion(row: HelpVersionRow | HelpVersionWithNames): HelpVersion {
  return {
    id: row.id,
    version: row.version,
    locale: row.locale as Locale,
    status: row.status as HelpVersion['status'],
    title: row.title,
    summary: row.summary,
    body: row.body,
    keywords: row.keywords,
    origin: row.origin as HelpVersion['origin'],
    authorName: 'authorName' in row ? row.authorName : null,
    reviewerName: 'reviewerName' in row ? row.reviewerName : null,
    reviewNote: row.reviewNote,
    sourceVersion: row.sourceVersion,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

async function assertKnownFacts(deps: EditDeps, locale: Locale, fields: HelpEditableFields): Promise<void> {
  const names = unknownFacts(`${fields.title} ${fields.summary} ${fields.body}`, await helpFacts(deps, locale));
  if (names.length > 0) throw HelpError('help_unknown_facts', { names: names.map((name) => `{{${name}}}`).join(', ') });
}

/** One article as editors see it: each language's published and open version, whether a translation is behind, feedback. */
export async function getStaffArticle(db: Database, articleId: string): Promise<HelpStaffArticle> {
  const article = await findArticleById(db, articleId);
  if (!article) throw HelpError('help_article_not_found');
  return staffView(db, article);
}

async function staffView(db: Database, article: HelpArticleRow): Promise<HelpStaffArticle> {
  const versions = await listVersions(db, article.id);
  const feedback = await feedbackCounts(db, article.id);
  const sourcePublished = versions.find((row) => row.locale === article.sourceLocale && row.status === 'published');
  const states: HelpLocaleState[] = locales.map((locale) => {
    const own = versions.filter((row) => row.locale === locale);
    const published = own.find((row) => row.status === 'published');
    const pending = own.find((row) => row.status === 'draft' || row.status === 'in_review');
    const counts = feedback.find((row) => row.locale === locale);
    // A translation is behind when the source language published a version after the one it was written from.
    const isOutdated =
      locale !== article.sourceLocale && !!sourcePublished && !!published && (published.sourceVersion ?? 0) < sourcePublished.version;
    return {
      locale,
      published: published ? toVersion(published) : null,
      pending: pending ? toVersion(pending) : null,
      isOutdated,
      helpfulYes: counts?.yes ?? 0,
      helpfulNo: counts?.no ?? 0,
    };
  });
  return {
    id: article.id,
    slug: article.slug,
    category: article.category as HelpCategory,
    sourceLocale: article.sourceLocale as Locale,
    related: article.related,
    locales: states,
    updatedAt: article.updatedAt.toISOString(),
  };
}

export async function listStaffArticles(db: Database): Promise<HelpStaffArticle[]> {
  const articles = await listArticles(db);
  return Promise.all(articles.map((article) => staffView(db, article)));
}

export async function listArticleVersions(db: Database, articleId: string): Promise<HelpVersion[]> {
  if (!(await findArticleById(db, articleId))) throw HelpError('help_article_not_found');
  return (await listVersions(db, articleId)).map(toVersion);
}

/** A new article, its first version a draft in the given language (the source language). */
export async function createArticle(
  deps: EditDeps,
  editor: Editor,
  input: HelpCreateArticleRequest,
  origin: 'staff' | 'conversation' = 'staff',
) {
  await assertKnownFacts(deps, input.locale, input);
  if (await findArticleBySlug(deps.db, input.slug)) throw HelpError('help_slug_taken');
  const now = deps.clock.now();
  return withTransaction(deps.db.$client, async (tx) => {
    const article = await insertArticle(tx, {
      slug: input.slug,
      category: input.category,
      sourceLocale: input.locale,
      createdAt: now,
      updatedAt: now,
    });
    await insertVersion(tx, {
      articleId: article.id,
      locale: input.locale,
      status: 'draft',
      title: input.title,
      summary: input.summary,
      body: input.body,
      keywords: input.keywords,
      origin,
      authorId: editor.staffId,
      createdAt: now,
      updatedAt: now,
    });
    return article;
  });
}

/**
 * Saves the open draft of one language (creating it from the published text if there is none).
 * `baseVersion` is the version the editor started from: a newer draft saved meanwhile answers 409
 * instead of being overwritten.
 */
export async function saveDraft(
  deps: EditDeps,
  editor: Editor,
  articleId: string,
  locale: Locale,
  input: HelpSaveDraftRequest,
): Promise<HelpVersion> {
  await assertKnownFacts(deps, locale, input);
  const now = deps.clock.now();
  return withTransaction(deps.db.$client, async (tx) => {
    const article = await lockArticle(tx, articleId);
    if (!article) throw HelpError('help_article_not_found');
    const { pending, latest } = await currentVersions(tx, articleId, locale);
    if ((latest?.version ?? 0) !== input.baseVersion) throw HelpError('help_draft_changed');
    const fields = { title: input.title, summary: input.summary, body: input.body, keywords: input.keywords };
    const sourceVersion =
      locale === article.sourceLocale ? null : ((await publishedVersionNumbers(tx, articleId)).get(article.sourceLocale) ?? null);
    if (pending) {
      // Editing a version in review sends it back to draft: the reviewer must see what is published.
      return toVersion(
        await updateVersion(tx, pending.id, {
          ...fields,
          status: 'draft',
          authorId: editor.staffId,
          sourceVersion,
          submittedAt: null,
          updatedAt: now,
        }),
      );
    }
    return toVersion(
      await insertVersion(tx, {
        articleId,
        locale,
        status: 'draft',
        ...fields,
        origin: 'staff',
        authorId: editor.staffId,
        sourceVersion,
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
}

export async function submitForReview(deps: EditDeps, articleId: string, locale: Locale): Promise<HelpVersion> {
  const { pending } = await currentVersions(deps.db, articleId, locale);
  if (pending?.status !== 'draft') throw HelpError('help_no_draft');
  return toVersion(
    await updateVersion(deps.db, pending.id, { status: 'in_review', submittedAt: deps.clock.now(), updatedAt: deps.clock.now() }),
  );
}

/**
 * Publishes the version in review: someone other than its author reviews it (four eyes, also a
 * database constraint); the previous version is superseded and search sees the new text at once,
 * in the same transaction.
 */
export async function publishVersion(deps: EditDeps, reviewer: Editor, articleId: string, locale: Locale): Promise<HelpVersion> {
  return withTransaction(deps.db.$client, async (tx) => {
    const article = await lockArticle(tx, articleId);
    if (!article) throw HelpError('help_article_not_found');
    const { published, pending } = await currentVersions(tx, articleId, locale);
    if (pending?.status !== 'in_review') throw HelpError('help_not_in_review');
    if (pending.authorId === reviewer.staffId) throw HelpError('help_reviewer_is_author');
    const now = deps.clock.now();
    if (published) await updateVersion(tx, published.id, { status: 'superseded', updatedAt: now });
    const version = await updateVersion(tx, pending.id, {
      status: 'published',
      reviewerId: reviewer.staffId,
      publishedAt: now,
      updatedAt: now,
    });
    await updateArticle(tx, articleId, { updatedAt: now });
    await indexPublishedVersion(tx, { article, version, facts: await helpFacts(deps, locale) });
    await publishEvent(tx, {
      type: 'support.help-article.published',
      subject: { type: 'help_article', id: articleId },
      payload: { slug: article.slug, locale, version: version.version, isSourceLanguage: locale === article.sourceLocale },
    });
    return toVersion(version);
  });
}

/** Sends a version in review back to its author as a draft, with the reviewer's note. */
export async function sendBackVersion(
  deps: EditDeps,
  reviewer: Editor,
  articleId: string,
  locale: Locale,
  note: string | undefined,
): Promise<HelpVersion> {
  const { pending } = await currentVersions(deps.db, articleId, locale);
  if (pending?.status !== 'in_review') throw HelpError('help_not_in_review');
  if (pending.authorId === reviewer.staffId) throw HelpError('help_reviewer_is_author');
  return toVersion(
    await updateVersion(deps.db, pending.id, { status: 'draft', reviewNote: note ?? null, submittedAt: null, updatedAt: deps.clock.now() }),
  );
}

/** Makes an earlier version the open draft again; it goes through review like any edit. */
export async function restoreVersion(
  deps: EditDeps,
  editor: Editor,
  articleId: string,
  locale: Locale,
  version: number,
): Promise<HelpVersion> {
  const old = await findVersion(deps.db, articleId, locale, version);
  if (!old) throw HelpError('help_version_not_found');
  const { latest } = await currentVersions(deps.db, articleId, locale);
  return saveDraft(deps, editor, articleId, locale, {
    title: old.title,
    summary: old.summary,
    body: old.body,
    keywords: old.keywords,
    baseVersion: latest?.version ?? 0,
  });
}

export async function updateArticleSettings(
  deps: EditDeps,
  articleId: string,
  input: { category: HelpCategory; related: string[] },
): Promise<void> {
  const article = await findArticleById(deps.db, articleId);
  if (!article) throw HelpError('help_article_not_found');
  await updateArticle(deps.db, articleId, {
    category: input.category,
    related: input.related.filter((slug) => slug !== article.slug),
    updatedAt: deps.clock.now(),
  });
  noteSearchIndexWrite();
  await updateIndexedArticle(deps.db, articleId, { category: input.category });
}

/** What the article will look like, with the facts of now filled in; unknown placeholders are listed. */
export async function previewArticle(
  deps: { db: Database; config: Config },
  locale: Locale,
  body: string,
): Promise<{ html: string; problems: string[] }> {
  const facts = await helpFacts(deps, locale);
  return {
    html: fillFacts(renderArticleHtml(body), facts, escapeHtml),
    problems: unknownFacts(body, facts).map((name) => `{{${name}}}`),
  };
}
