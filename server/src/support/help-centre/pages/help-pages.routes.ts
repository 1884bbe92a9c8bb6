import { helpSlugSchema, helpTextSchema, type Locale, localeSchema } from '@okpay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type App, AppError, localeCookie, pageLocale } from '../../../platform/index.js';
import { channelHours } from '../../hours/describe-support-hours.js';
import { currentHours } from '../../hours/support-hours.js';
import type { SupportDeps } from '../../support-deps.js';
import { getHelpArticle } from '../get-help-article.js';
import { findImage, publishedLocales } from '../help-centre.repository.js';
import { helpFacts } from '../help-facts.js';
import { listHelpArticles } from '../list-help-articles.js';
import { recordHelpFeedback } from '../record-feedback.js';
import { searchHelp } from '../search-help.js';
import { helpPageScript, type PageContext, renderArticlePage, renderHomePage, renderNotFoundPage, renderSearchPage } from './help-pages.js';

const pageQuery = z.object({ lang: z.string().max(10).optional() }).passthrough();

/** Server-rendered help pages at /help: fast on a phone, readable by search engines and link previews. */
export async function registerHelpPages(app: App, deps: SupportDeps) {
  const contextFor = async (request: FastifyRequest, reply: FastifyReply): Promise<PageContext> => {
    const locale = pageLocale(request, deps.config.defaultLocale);
    if (localeSchema.safeParse((request.query as { lang?: unknown }).lang).success) {
      reply.setCookie(localeCookie, locale, {
        path: '/',
        sameSite: 'lax',
        maxAge: 365 * 24 * 3600,
        secure: deps.config.publicUrl.startsWith('https://'),
      });
    }
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-language', locale)
      .header('vary', 'Accept-Language, Cookie')
      .header('cache-control', 'private, max-age=60');
    const [facts, hours] = await Promise.all([helpFacts(deps, locale), currentHours(deps)]);
    const phoneStatus = channelHours(hours, 'phone', deps.clock.now(), locale).status;
    return { locale, publicUrl: deps.config.publicUrl, facts, timeZone: deps.config.timeZone, phoneStatus };
  };
  const allArticles = async (locale: Locale) => (await listHelpArticles(deps.db, { locale, limit: 100 })).items;

  app.get('/help/assets/help-page.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(helpPageScript),
  );

  app.get('/help', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const context = await contextFor(request, reply);
    return reply.send(renderHomePage(context, await allArticles(context.locale)));
  });

  app.get(
    '/help/search',
    { schema: { hide: true, querystring: pageQuery.extend({ q: helpTextSchema(200).optional() }) } },
    async (request, reply) => {
      const context = await contextFor(request, reply);
      const query = request.query.q ?? '';
      const results = query.trim() ? await searchHelp(deps, { q: query, locale: context.locale, limit: 10 }) : [];
      return reply.header('x-robots-tag', 'noindex').send(renderSearchPage(context, query, results));
    },
  );

  app.get('/help/images/:id', { schema: { hide: true, params: z.object({ id: z.uuid() }) } }, async (request, reply) => {
    const image = await findImage(deps.db, request.params.id);
    if (!image) return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    // Stored images never change under their id.
    return reply
      .header('content-type', image.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(image.bytes);
  });

  app.get(
    '/help/:slug',
    { schema: { hide: true, params: z.object({ slug: z.string().max(200) }), querystring: pageQuery } },
    async (request, reply) => {
      const context = await contextFor(request, reply);
      const slug = helpSlugSchema.safeParse(request.params.slug);
      const article = slug.success ? await getHelpArticle(deps, slug.data, context.locale).catch(notFoundAsUndefined) : undefined;
      if (!article) return reply.status(404).send(renderNotFoundPage(context, await allArticles(context.locale)));
      const locales = (await publishedLocales(deps.db, article.slug)) as Locale[];
      return reply.send(
        renderArticlePage(context, {
          slug: article.slug,
          title: article.title,
          summary: article.summary,
          category: article.category,
          html: article.relativeHtml,
          publishedAt: article.publishedAt,
          related: article.related,
          locales,
          isThanked: (request.query as { feedback?: unknown }).feedback === 'thanks',
        }),
      );
    },
  );

  // "Was this helpful?" works without JavaScript: a plain form post, then back to the article.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/help/:slug/feedback',
      {
        schema: {
          hide: true,
          params: z.object({ slug: helpSlugSchema }),
          querystring: pageQuery,
          body: z.object({ helpful: z.enum(['yes', 'no']), reason: helpTextSchema(500).optional() }),
        },
      },
      async (request, reply) => {
        const locale = pageLocale(request, deps.config.defaultLocale);
        const reason = request.body.reason?.trim();
        await recordHelpFeedback(
          deps,
          request.params.slug,
          { locale, isHelpful: request.body.helpful === 'yes', ...(reason ? { reason } : {}) },
          deps.clock.now(),
        );
        return reply.redirect(`/help/${request.params.slug}?lang=${locale}&feedback=thanks#feedback`, 303);
      },
    );
  });
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof AppError && error.status === 404) return undefined;
  throw error;
}
