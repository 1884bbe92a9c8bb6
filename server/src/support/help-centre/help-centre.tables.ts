import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers, staffMembers } from '../../identity/index.js';
import { conversations } from '../support.tables.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One help topic; its text lives in versions, one line of versions per language. */
export const helpArticles = pgTable(
  'help_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    category: text('category').notNull(),
    /** The language the article is written in first; the other is a translation of it. */
    sourceLocale: text('source_locale').notNull().default('zh-CN'),
    related: text('related').array().notNull().default(sql`'{}'::text[]`),
    position: integer('position').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('help_articles_slug_key').on(table.slug),
    check(
      'help_articles_category_check',
      sql`${table.category} in ('account', 'top_up_cards', 'transfers_exchange', 'history', 'contact')`,
    ),
  ],
);

/**
 * Every version of an article in one language. A version is written as a draft, sent to review and
 * published by someone other than its author; publishing supersedes the previous one.
 */
export const helpArticleVersions = pgTable(
  'help_article_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => helpArticles.id),
    locale: text('locale').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull(),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    /** `file`: shipped in the repository; `staff`: written in the console; `conversation`: from an agent's answer. */
    origin: text('origin').notNull(),
    /** SHA-256 of a shipped file's content, so a release imports each change once. */
    contentHash: text('content_hash'),
    authorId: uuid('author_id').references(() => staffMembers.id),
    reviewerId: uuid('reviewer_id').references(() => staffMembers.id),
    reviewNote: text('review_note'),
    /** For a translation: the source-language version it was written from. */
    sourceVersion: integer('source_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('help_article_versions_number_key').on(table.articleId, table.locale, table.version),
    uniqueIndex('help_article_versions_one_published').on(table.articleId, table.locale).where(sql`${table.status} = 'published'`),
    uniqueIndex('help_article_versions_one_pending')
      .on(table.articleId, table.locale)
      .where(sql`${table.status} in ('draft', 'in_review')`),
    check('help_article_versions_locale_check', sql`${table.locale} in ('zh-CN', 'en')`),
    check('help_article_versions_status_check', sql`${table.status} in ('draft', 'in_review', 'published', 'superseded')`),
    check('help_article_versions_origin_check', sql`${table.origin} in ('file', 'staff', 'conversation')`),
    // Four eyes: what customers read is published by someone other than whoever wrote it.
    check(
      'help_article_versions_reviewer_check',
      sql`${table.reviewerId} is null or ${table.authorId} is null or ${table.reviewerId} <> ${table.authorId}`,
    ),
  ],
);

/**
 * The published text of each article per language, as search reads it: segmented tokens weighted
 * title (A) > keywords (B) > summary and body (C), and a normalised title for trigram similarity.
 * Written in the same transaction as the publication, so search sees an edit at once.
 */
export const helpSearchIndex = pgTable(
  'help_search_index',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => helpArticles.id),
    locale: text('locale').notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => helpArticleVersions.id),
    slug: text('slug').notNull(),
    category: text('category').notNull(),
    position: integer('position').notNull().default(100),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Sanitised HTML; `{{…}}` facts (hours, phone numbers) are filled in when it is served. */
    html: text('html').notNull(),
    /** Plain text of the body, for snippets. */
    plainText: text('plain_text').notNull(),
    titleTokens: text('title_tokens').notNull(),
    keywordTokens: text('keyword_tokens').notNull(),
    bodyTokens: text('body_tokens').notNull(),
    titleNormalised: text('title_normalised').notNull(),
    document: tsvector('document')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('simple'::regconfig, ${helpSearchIndex.titleTokens}), 'A') || setweight(to_tsvector('simple'::regconfig, ${helpSearchIndex.keywordTokens}), 'B') || setweight(to_tsvector('simple'::regconfig, ${helpSearchIndex.bodyTokens}), 'C')`,
      ),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set by a trigger on every insert and update from the language's counter in
     * `help_search_revisions`, in commit order: each node's in-memory search index reads the rows
     * above the revision it holds.
     */
    revision: bigint('revision', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.articleId, table.locale] }),
    index('help_search_index_revision_idx').on(table.locale, table.revision),
    index('help_search_index_list_idx').on(table.locale, table.position, table.slug),
  ],
);

/**
 * The latest revision of each language's search index. Writers of `help_search_index` take the
 * row's lock until they commit, so revisions become visible in the order they were handed out.
 */
export const helpSearchRevisions = pgTable('help_search_revisions', {
  locale: text('locale').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull().default(0),
});

/** "Was this helpful?" answers, with the optional reason. */
export const helpFeedback = pgTable(
  'help_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => helpArticles.id),
    locale: text('locale').notNull(),
    isHelpful: boolean('is_helpful').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('help_feedback_article_idx').on(table.articleId, table.locale)],
);

/**
 * One round of article suggestions in the chat widget: what was typed (masked), what was shown,
 * what was opened and whether the customer chatted anyway. Reports compute the deflection rate.
 */
export const helpSuggestions = pgTable(
  'help_suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surface: text('surface').notNull(),
    locale: text('locale').notNull(),
    query: text('query').notNull(),
    shownSlugs: text('shown_slugs').array().notNull().default(sql`'{}'::text[]`),
    openedSlugs: text('opened_slugs').array().notNull().default(sql`'{}'::text[]`),
    customerId: uuid('customer_id').references(() => customers.id),
    visitorId: uuid('visitor_id'),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    shownAt: timestamp('shown_at', { withTimezone: true }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    chatStartedAt: timestamp('chat_started_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('help_suggestions_shown_idx').on(table.shownAt),
    check('help_suggestions_surface_check', sql`${table.surface} in ('composer', 'pre_chat')`),
  ],
);

/** Images attached to articles, served at `/help/images/<id>`. */
export const helpImages = pgTable('help_images', {
  id: uuid('id').primaryKey().defaultRandom(),
  articleId: uuid('article_id').references(() => helpArticles.id),
  contentType: text('content_type').notNull(),
  byteSize: integer('byte_size').notNull(),
  bytes: bytea('bytes').notNull(),
  uploadedBy: uuid('uploaded_by').references(() => staffMembers.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every indexed term per language with the number of published articles containing it: rare terms
 * weigh more in ranking, and unknown query words are matched to known ones by pinyin or trigrams.
 */
export const helpSearchTerms = pgTable(
  'help_search_terms',
  {
    locale: text('locale').notNull(),
    term: text('term').notNull(),
    /** Toneless pinyin of a Chinese term (冲值 and 充值 share "chongzhi"). */
    pinyin: text('pinyin'),
    documents: integer('documents').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.locale, table.term] }),
    index('help_search_terms_pinyin_idx').on(table.locale, table.pinyin).where(sql`${table.pinyin} is not null`),
    index('help_search_terms_trgm_idx').using('gin', table.term.op('gin_trgm_ops')),
  ],
);
