import fastifyMultipart from '@fastify/multipart';
import {
  errorBodySchema,
  helpArticleSettingsSchema,
  helpCreateArticleRequestSchema,
  helpDraftFromMessageRequestSchema,
  helpImageSchema,
  helpPreviewRequestSchema,
  helpPreviewResponseSchema,
  helpReviewRequestSchema,
  helpSaveDraftRequestSchema,
  helpStaffArticleListSchema,
  helpStaffArticleSchema,
  helpVersionListSchema,
  helpVersionSchema,
  localeSchema,
  type StaffRole,
} from '@okpay/contracts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/index.js';

import type { SupportDeps } from '../support-deps.js';
import { draftFromMessage } from './draft-from-message.js';
import {
  createArticle,
  getStaffArticle,
  listArticleVersions,
  listStaffArticles,
  previewArticle,
  publishVersion,
  restoreVersion,
  saveDraft,
  sendBackVersion,
  submitForReview,
  updateArticleSettings,
} from './edit-articles.js';
import { HelpError } from './help-centre.errors.js';
import { articleImageMaxBytes, storeArticleImage } from './store-article-image.js';

/** Everyone in the console reads articles and may turn an answer into a draft; editors and admins edit and publish. */
const everyone: StaffRole[] = ['agent', 'supervisor', 'admin', 'editor'];
const editors: StaffRole[] = ['editor', 'admin'];
const articleParams = z.strictObject({ id: z.uuid() });
const localeParams = articleParams.extend({ locale: localeSchema });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** The console's help-centre editing: articles, drafts, review and publishing, versions, images. */
export async function registerHelpEditingRoutes(app: App, deps: SupportDeps) {
  const anyStaff = requireStaff(deps, everyone);
  const editorOnly = requireStaff(deps, editors);
  const editor = (request: Parameters<typeof staffOf>[0]) => {
    const staff = staffOf(request);
    return { staffId: staff.staffId, role: staff.role, name: staff.displayName };
  };
  const tags = ['help-editing'];

  app.get(
    '/api/agent/help/articles',
    {
      schema: {
        tags,
        summary: 'Every article with each language’s published and open version',
        response: { 200: helpStaffArticleListSchema, ...errors },
      },
      preHandler: anyStaff,
    },
    async () => ({ articles: await listStaffArticles(deps.db) }),
  );

  app.post(
    '/api/agent/help/articles',
    {
      schema: {
        tags,
        summary: 'Create an article; its first version is a draft',
        body: helpCreateArticleRequestSchema,
        response: { 201: helpStaffArticleSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request, reply) => {
      const article = await createArticle(deps, editor(request), request.body);
      return reply.status(201).send(await getStaffArticle(deps.db, article.id));
    },
  );

  app.get(
    '/api/agent/help/articles/:id',
    {
      schema: { tags, summary: 'One article for editing', params: articleParams, response: { 200: helpStaffArticleSchema, ...errors } },
      preHandler: anyStaff,
    },
    async (request) => getStaffArticle(deps.db, request.params.id),
  );

  app.put(
    '/api/agent/help/articles/:id/settings',
    {
      schema: {
        tags,
        summary: 'Category and related articles',
        params: articleParams,
        body: helpArticleSettingsSchema,
        response: { 200: helpStaffArticleSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request) => {
      await updateArticleSettings(deps, request.params.id, request.body);
      return getStaffArticle(deps.db, request.params.id);
    },
  );

  app.get(
    '/api/agent/help/articles/:id/versions',
    {
      schema: {
        tags,
        summary: 'Version history, newest first, both languages',
        params: articleParams,
        response: { 200: helpVersionListSchema, ...errors },
      },
      preHandler: anyStaff,
    },
    async (request) => ({ versions: await listArticleVersions(deps.db, request.params.id) }),
  );

  app.put(
    '/api/agent/help/articles/:id/locales/:locale/draft',
    {
      schema: {
        tags,
        summary: 'Save the open draft of one language',
        params: localeParams,
        body: helpSaveDraftRequestSchema,
        response: { 200: helpVersionSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request) => saveDraft(deps, editor(request), request.params.id, request.params.locale, request.body),
  );

  app.post(
    '/api/agent/help/articles/:id/locales/:locale/submit',
    {
      schema: { tags, summary: 'Send the draft to review', params: localeParams, response: { 200: helpVersionSchema, ...errors } },
      preHandler: editorOnly,
    },
    async (request) => submitForReview(deps, request.params.id, request.params.locale),
  );

  app.post(
    '/api/agent/help/articles/:id/locales/:locale/publish',
    {
      schema: {
        tags,
        summary: 'Publish the version in review (someone other than its author)',
        params: localeParams,
        response: { 200: helpVersionSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request) => publishVersion(deps, editor(request), request.params.id, request.params.locale),
  );

  app.post(
    '/api/agent/help/articles/:id/locales/:locale/send-back',
    {
      schema: {
        tags,
        summary: 'Send the version in review back to draft with a note',
        params: localeParams,
        body: helpReviewRequestSchema,
        response: { 200: helpVersionSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request) => sendBackVersion(deps, editor(request), request.params.id, request.params.locale, request.body.note),
  );

  app.post(
    '/api/agent/help/articles/:id/locales/:locale/versions/:version/restore',
    {
      schema: {
        tags,
        summary: 'Make an earlier version the open draft again',
        params: localeParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
        response: { 200: helpVersionSchema, ...errors },
      },
      preHandler: editorOnly,
    },
    async (request) => restoreVersion(deps, editor(request), request.params.id, request.params.locale, request.params.version),
  );

  app.post(
    '/api/agent/help/preview',
    {
      schema: {
        tags,
        summary: 'Render Markdown as the published page would',
        body: helpPreviewRequestSchema,
        response: { 200: helpPreviewResponseSchema, ...errors },
      },
      preHandler: anyStaff,
    },
    async (request) => previewArticle(deps, request.body.locale, request.body.body),
  );

  app.post(
    '/api/agent/conversations/:id/messages/:messageId/help-draft',
    {
      schema: {
        tags,
        summary: 'Turn an agent’s answer into a draft article',
        params: z.strictObject({ id: z.uuid(), messageId: z.uuid() }),
        body: helpDraftFromMessageRequestSchema.optional(),
        response: { 201: helpStaffArticleSchema, ...errors },
      },
      preHandler: anyStaff,
    },
    async (request, reply) => {
      const article = await draftFromMessage(deps, editor(request), {
        conversationId: request.params.id,
        messageId: request.params.messageId,
        ...request.body,
      });
      return reply.status(201).send(await getStaffArticle(deps.db, article.id));
    },
  );

  // Images: multipart in this scope only, with the size limit enforced while streaming.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: articleImageMaxBytes + 1, files: 1, fields: 1 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/agent/help/images',
      {
        schema: {
          tags,
          summary: 'Upload an image for an article (JPG, PNG, GIF or WebP)',
          response: { 201: helpImageSchema, 413: errorBodySchema, 415: errorBodySchema, ...errors },
        },
        preHandler: editorOnly,
      },
      async (request, reply) => {
        const file = await request.file();
        if (!file) throw HelpError('help_image_type');
        const bytes = await file.toBuffer().catch(() => {
          throw HelpError('help_image_too_large', { limit: '2 MB' });
        });
        return reply.status(201).send(await storeArticleImage(deps.db, { bytes, uploadedBy: staffOf(request).staffId }));
      },
    );
  });
}
