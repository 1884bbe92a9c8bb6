import { z } from 'zod';
import { localeSchema } from './locale.js';

/** Categories of the help centre, in the order the home page shows them. */
export const helpCategories = ['account', 'top_up_cards', 'transfers_exchange', 'history', 'contact'] as const;
export const helpCategorySchema = z.enum(helpCategories);
export type HelpCategory = z.infer<typeof helpCategorySchema>;

/** Text a person typed: no NUL characters and no unpaired UTF-16 surrogates, which PostgreSQL cannot store. */
export function helpTextSchema(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value), {
      message: 'contains a NUL character or a broken surrogate pair',
    });
}

/** Lower-case ASCII words joined by dashes: the article's path is `/help/<slug>`. */
export const helpSlugSchema = z
  .string()
  .min(2)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes');

export const helpSearchQuerySchema = z.strictObject({
  q: helpTextSchema(200),
  locale: localeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type HelpSearchQuery = z.infer<typeof helpSearchQuerySchema>;

export const helpSearchResultSchema = z.object({
  slug: z.string(),
  /** Plain text, exactly the article's title. */
  title: z.string(),
  /** HTML: escaped text with the matched words inside `<mark>`. */
  snippet: z.string(),
  url: z.string(),
  score: z.number(),
});
export type HelpSearchResult = z.infer<typeof helpSearchResultSchema>;
export const helpSearchResponseSchema = z.object({ results: z.array(helpSearchResultSchema) });
export type HelpSearchResponse = z.infer<typeof helpSearchResponseSchema>;

export const helpArticleSummarySchema = z.object({
  slug: z.string(),
  locale: localeSchema,
  category: helpCategorySchema,
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  updatedAt: z.string(),
});
export type HelpArticleSummary = z.infer<typeof helpArticleSummarySchema>;

export const helpArticleListQuerySchema = z.strictObject({
  locale: localeSchema.optional(),
  category: helpCategorySchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export const helpArticlePageSchema = z.object({ items: z.array(helpArticleSummarySchema), nextCursor: z.string().nullable() });
export type HelpArticlePage = z.infer<typeof helpArticlePageSchema>;

export const helpArticleSchema = helpArticleSummarySchema.extend({
  /** Sanitised HTML of the body; links are absolute so the article reads the same inside the chat widget on any site. */
  html: z.string(),
  related: z.array(z.object({ slug: z.string(), title: z.string(), url: z.string() })),
  /** The same article in the other language, when it has one. */
  translations: z.array(z.object({ locale: localeSchema, url: z.string() })),
});
export type HelpArticle = z.infer<typeof helpArticleSchema>;

export const helpFeedbackRequestSchema = z.strictObject({
  locale: localeSchema,
  isHelpful: z.boolean(),
  reason: helpTextSchema(500).optional(),
});
export type HelpFeedbackRequest = z.infer<typeof helpFeedbackRequestSchema>;

/** Where the widget asked for suggestions: the first message box or the pre-chat form. */
export const helpSuggestionSurfaces = ['composer', 'pre_chat'] as const;

export const helpSuggestionRequestSchema = z.strictObject({
  q: helpTextSchema(500),
  locale: localeSchema.optional(),
  surface: z.enum(helpSuggestionSurfaces),
  /** The suggestion round this typing belongs to, so one attempt at contact counts once. */
  suggestionId: z.uuid().optional(),
});
export const helpSuggestionResponseSchema = z.object({
  suggestionId: z.string().nullable(),
  results: z.array(helpSearchResultSchema),
});
export type HelpSuggestionResponse = z.infer<typeof helpSuggestionResponseSchema>;

export const helpSuggestionOutcomeSchema = z.strictObject({
  outcome: z.enum(['opened', 'chat_started']),
  slug: helpSlugSchema.optional(),
  conversationId: z.uuid().optional(),
});
export type HelpSuggestionOutcome = z.infer<typeof helpSuggestionOutcomeSchema>;

// Staff: editing.

export const helpVersionStatuses = ['draft', 'in_review', 'published', 'superseded'] as const;
export const helpVersionStatusSchema = z.enum(helpVersionStatuses);
export type HelpVersionStatus = z.infer<typeof helpVersionStatusSchema>;

export const helpEditableFieldsSchema = z.strictObject({
  title: helpTextSchema(120).pipe(z.string().trim().min(2)),
  summary: helpTextSchema(300).default(''),
  body: helpTextSchema(50_000),
  keywords: z
    .array(helpTextSchema(60).pipe(z.string().trim().min(1)))
    .max(60)
    .default([]),
});
export type HelpEditableFields = z.infer<typeof helpEditableFieldsSchema>;

export const helpCreateArticleRequestSchema = helpEditableFieldsSchema.extend({
  slug: helpSlugSchema,
  category: helpCategorySchema,
  locale: localeSchema,
});
export type HelpCreateArticleRequest = z.infer<typeof helpCreateArticleRequestSchema>;

export const helpSaveDraftRequestSchema = helpEditableFieldsSchema.extend({
  /** The version the editor started from; a newer draft by someone else answers 409. */
  baseVersion: z.number().int().min(0),
});
export type HelpSaveDraftRequest = z.infer<typeof helpSaveDraftRequestSchema>;

export const helpReviewRequestSchema = z.strictObject({ note: z.string().trim().max(500).optional() });

export const helpArticleSettingsSchema = z.strictObject({
  category: helpCategorySchema,
  related: z.array(helpSlugSchema).max(8),
});

export const helpVersionSchema = z.object({
  id: z.string(),
  version: z.number(),
  locale: localeSchema,
  status: helpVersionStatusSchema,
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  keywords: z.array(z.string()),
  origin: z.enum(['file', 'staff', 'conversation']),
  authorName: z.string().nullable(),
  reviewerName: z.string().nullable(),
  reviewNote: z.string().nullable(),
  /** For a translation: the version of the source-language article it was written from. */
  sourceVersion: z.number().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type HelpVersion = z.infer<typeof helpVersionSchema>;

export const helpLocaleStateSchema = z.object({
  locale: localeSchema,
  published: helpVersionSchema.nullable(),
  /** The newest draft or version in review, when there is one. */
  pending: helpVersionSchema.nullable(),
  /** The source language published a newer version than this translation was written from. */
  isOutdated: z.boolean(),
  helpfulYes: z.number(),
  helpfulNo: z.number(),
});
export type HelpLocaleState = z.infer<typeof helpLocaleStateSchema>;

export const helpStaffArticleSchema = z.object({
  id: z.string(),
  slug: z.string(),
  category: helpCategorySchema,
  sourceLocale: localeSchema,
  related: z.array(z.string()),
  locales: z.array(helpLocaleStateSchema),
  updatedAt: z.string(),
});
export type HelpStaffArticle = z.infer<typeof helpStaffArticleSchema>;

export const helpStaffArticleListSchema = z.object({ articles: z.array(helpStaffArticleSchema) });
export const helpVersionListSchema = z.object({ versions: z.array(helpVersionSchema) });

export const helpPreviewRequestSchema = z.strictObject({ body: helpTextSchema(50_000), locale: localeSchema });
export const helpPreviewResponseSchema = z.object({ html: z.string(), problems: z.array(z.string()) });

export const helpImageSchema = z.object({ id: z.string(), url: z.string(), markdown: z.string() });
export type HelpImage = z.infer<typeof helpImageSchema>;

export const helpDraftFromMessageRequestSchema = z.strictObject({
  slug: helpSlugSchema.optional(),
  title: helpTextSchema(120).pipe(z.string().trim().min(2)).optional(),
  category: helpCategorySchema.optional(),
});
