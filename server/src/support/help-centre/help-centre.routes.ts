import {
  errorBodySchema,
  helpArticleListQuerySchema,
  helpArticlePageSchema,
  helpArticleSchema,
  helpFeedbackRequestSchema,
  helpSearchQuerySchema,
  helpSearchResponseSchema,
  helpSlugSchema,
  helpSuggestionOutcomeSchema,
  helpSuggestionRequestSchema,
  helpSuggestionResponseSchema,
  localeSchema,
} from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type App, allowAnyOrigin, createNodeRateLimiter, createRateLimiter, type RateLimiter } from '../../platform/index.js';
import { participantOfToken } from '../chat-auth.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import { getHelpArticle } from './get-help-article.js';
import { listHelpArticles } from './list-help-articles.js';
import { recordHelpFeedback } from './record-feedback.js';
import { searchHelp } from './search-help.js';
import { recordSuggestionOutcome, suggestArticles } from './suggest-articles.js';

const slugParams = z.strictObject({ slug: helpSlugSchema });
const errors = { 400: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema };

// The widget calls these from other sites (with its chat token, never a cookie), so any origin may.
const crossOriginPaths = /^\/api\/help\/(search|articles|suggestions)(?:[/?]|$)/;

/** The public help centre API: search, the article list and articles, feedback and the widget's suggestions. */
export async function registerHelpCentreRoutes(app: App, deps: SupportDeps) {
  // Generous enough for a person typing (a request per pause), not for scraping. Counted in each
  // node's memory: a durable write per search would cost more than the search itself.
  const searchLimiter = createNodeRateLimiter('help-search', deps.config.helpSearchPerMinute, 60);
  const feedbackLimiter = createRateLimiter(deps.pool, 'help-feedback', 30, 3600);
  const limitByIp = (limiter: RateLimiter) => async (request: FastifyRequest) => limiter.consume(`ip:${request.ip}`);

  allowAnyOrigin(app, crossOriginPaths);

  /** The widget's caller, when it sends a chat token; a token that is sent must be valid. */
  const askerOf = async (request: FastifyRequest) => {
    const token = request.headers['x-chat-token'];
    if (token === undefined) return undefined;
    const participant = (await participantOfToken(deps, token))?.participant;
    if (!participant || participant.kind === 'staff') throw SupportError('realtime_unauthorized');
    return participant;
  };

  app.get(
    '/api/help/search',
    {
      schema: {
        tags: ['help'],
        summary: 'Search published help articles (Chinese and English), best first, with highlighted snippets',
        querystring: helpSearchQuerySchema,
        response: { 200: helpSearchResponseSchema, ...errors },
      },
      preHandler: limitByIp(searchLimiter),
    },
    async (request) => ({
      results: await searchHelp(deps, { q: request.query.q, locale: request.query.locale ?? request.locale, limit: request.query.limit }),
    }),
  );

  app.get(
    '/api/help/articles',
    {
      schema: {
        tags: ['help'],
        summary: 'Published articles of one language, in help-centre order; pass nextCursor back for the next page',
        querystring: helpArticleListQuerySchema,
        response: { 200: helpArticlePageSchema, ...errors },
      },
    },
    async (request) =>
      listHelpArticles(deps.db, {
        locale: request.query.locale ?? request.locale,
        category: request.query.category,
        limit: request.query.limit,
        cursor: request.query.cursor,
      }),
  );

  app.get(
    '/api/help/articles/:slug',
    {
      schema: {
        tags: ['help'],
        summary: 'One published article with sanitised HTML (absolute links), related articles and its translation',
        params: slugParams,
        querystring: z.strictObject({ locale: localeSchema.optional() }),
        response: { 200: helpArticleSchema, ...errors },
      },
    },
    async (request) => {
      const {
        relativeHtml: _relative,
        publishedAt: _published,
        ...article
      } = await getHelpArticle(deps, request.params.slug, request.query.locale ?? request.locale);
      return article;
    },
  );

  app.post(
    '/api/help/articles/:slug/feedback',
    {
      schema: {
        tags: ['help'],
        summary: '"Was this helpful?" for an article, with an optional reason',
        params: slugParams,
        body: helpFeedbackRequestSchema,
        response: { 204: z.null(), ...errors },
      },
      preHandler: limitByIp(feedbackLimiter),
    },
    async (request, reply) => {
      await recordHelpFeedback(deps, request.params.slug, request.body, deps.clock.now());
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/help/suggestions',
    {
      schema: {
        tags: ['help'],
        summary: 'Articles for what a customer types before chatting (widget); send suggestionId back while typing on',
        body: helpSuggestionRequestSchema,
        response: { 200: helpSuggestionResponseSchema, 401: errorBodySchema, ...errors },
      },
      preHandler: limitByIp(searchLimiter),
    },
    async (request) =>
      suggestArticles(deps, {
        q: request.body.q,
        locale: request.body.locale ?? request.locale,
        surface: request.body.surface,
        suggestionId: request.body.suggestionId,
        asker: await askerOf(request),
      }),
  );

  app.post(
    '/api/help/suggestions/:id/outcome',
    {
      schema: {
        tags: ['help'],
        summary: 'Record that a suggested article was opened, or that the customer started the chat anyway',
        params: z.strictObject({ id: z.uuid() }),
        body: helpSuggestionOutcomeSchema,
        response: { 204: z.null(), 401: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      await recordSuggestionOutcome(deps, { ...request.body, suggestionId: request.params.id, asker: await askerOf(request) });
      return reply.status(204).send(null);
    },
  );
}
