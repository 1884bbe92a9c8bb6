import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { pickLocale } from '@okpay/contracts';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerIdentityRoutes } from './identity/index.js';
import type { App } from './platform/index.js';
import {
  handleError,
  installDevMailRoutes,
  installErrorHandling,
  installGuards,
  installHealthChecks,
  installJsonBodyParser,
  installMetrics,
  installWebAppManifest,
  openApiTransform,
  openApiTransformObject,
  PlatformError,
  sendError,
  validatorCompiler,
} from './platform/index.js';
import {
  registerAgentConsoleRoutes,
  registerCustomerConversationRoutes,
  registerEmailRoutes,
  registerHelpCentreRoutes,
  registerHelpEditingRoutes,
  registerHelpPages,
  registerHoursRoutes,
  registerPhoneRoutes,
  registerPushRoutes,
  registerRatingRoutes,
  registerRecordingRoutes,
  registerReportRoutes,
  registerSlaRoutes,
  registerSupportRoutes,
  registerVoiceRoutes,
  type SupportDeps,
} from './support/index.js';
import { registerComplianceRoutes, registerWalletRoutes } from './wallet/index.js';

export const defaultWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
export const defaultWidgetFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget/dist/widget.js');

export type AppOptions = { webRoot?: string; devMailbox?: boolean };

const requestIdPattern = /^[\w-]{8,64}$/;

/** Builds the HTTP application from its dependencies; listening is the caller's choice. */
export async function buildApp(deps: SupportDeps, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 64 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    // Allow long-lived sockets to be closed promptly on SIGTERM once in-flight requests finish.
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    // A malformed or over-long URL is refused by the router before any hook runs: answer in our shape and language.
    frameworkErrors: (error, request, reply) => {
      request.locale = pickLocale(request.headers['accept-language'], deps.config.defaultLocale);
      return handleError(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonBodyParser(app);
  installGuards(app);
  app.decorateRequest('locale', deps.config.defaultLocale);
  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.headers['accept-language'], deps.config.defaultLocale);
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Reset links carry their token in the URL; never leak it in a Referer.
    referrerPolicy: { policy: 'no-referrer' },
    hsts: deps.config.publicUrl.startsWith('https://'),
  });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'OKPay API',
        version: '0.1.0',
        description: 'Wallet and customer-service centre. Every refusal answers `{ "error": { "code", "message" } }`.',
        license: { name: 'Proprietary', url: `${deps.config.publicUrl}/` },
      },
      servers: [{ url: deps.config.publicUrl, description: 'This OKPay' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The token from a customer or staff sign-in' },
          customerSession: { type: 'apiKey', in: 'cookie', name: 'okpay_session', description: 'The customer site’s session cookie' },
          staffSession: { type: 'apiKey', in: 'cookie', name: 'okpay_staff_session', description: 'The staff console’s session cookie' },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: 'Sent with the session cookie on every state change: the csrfToken from sign-in or /api/me',
          },
          signedLink: {
            type: 'apiKey',
            in: 'query',
            name: 'signature',
            description: 'A short-lived link (with its `expires`) handed out by a link endpoint, such as a chat image’s',
          },
          chatToken: {
            type: 'apiKey',
            in: 'header',
            name: 'x-chat-token',
            description: 'The chat widget’s token from /api/support/visitor-token or /api/support/realtime-token',
          },
        },
      },
    },
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  installErrorHandling(app);
  installMetrics(app, deps.config.metrics);
  installHealthChecks(app, deps.db);
  if (options.devMailbox) installDevMailRoutes(app, deps.db);
  installWebAppManifest(app, deps.config.defaultLocale);

  await registerIdentityRoutes(app, deps);
  await registerWalletRoutes(app, deps);
  await registerComplianceRoutes(app, deps);
  await registerSupportRoutes(app, deps);
  await registerAgentConsoleRoutes(app, deps);
  await registerHoursRoutes(app, deps);
  await registerSlaRoutes(app, deps);
  await registerHelpCentreRoutes(app, deps);
  await registerHelpEditingRoutes(app, deps);
  await registerHelpPages(app, deps);
  await registerEmailRoutes(app, deps);
  await registerPhoneRoutes(app, deps);
  await registerRecordingRoutes(app, deps);
  await registerVoiceRoutes(app, deps);
  await registerPushRoutes(app, deps);
  await registerCustomerConversationRoutes(app, deps);
  await registerRatingRoutes(app, deps);
  await registerReportRoutes(app, deps);

  // The chat widget, embedded by other sites with one <script>: any origin may load it, and a release reaches them within minutes.
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
    const source = await readFile(defaultWidgetFile).catch(() => undefined);
    if (!source) {
      const message = 'The chat widget is not built: run `npm run build -w widget`.';
      return reply.status(404).send({ error: { code: 'widget_not_built', message } });
    }
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(source);
  });

  const webRoot = options.webRoot ?? deps.config.webRoot ?? defaultWebRoot;
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  // The service worker is checked for updates on every visit; everything it precaches is versioned by it.
  const revalidated = new Set(['sw.js', 'register-sw.js', 'index.html']);
  const setHeaders = (reply: { header(name: string, value: string): unknown }, file: string) => {
    if (revalidated.has(path.basename(file))) reply.header('cache-control', 'no-cache');
  };
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false, maxAge: '1h', setHeaders });
  // Client-side routes of the single-page app answer with its index; API paths keep JSON 404s.
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0] ?? '');
    if (hasWeb && isPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return sendError(request, reply, PlatformError('not_found'));
  });
  return app;
}
