import type { App } from './types.js';

/**
 * Lets pages on any origin call the matching paths (the chat widget runs on other sites). They are
 * authenticated by a token header, never a cookie, so a foreign page can read nothing it should not.
 */
export function allowAnyOrigin(app: App, paths: RegExp): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!paths.test(request.url)) return;
    reply.header('access-control-allow-origin', '*');
    if (request.method !== 'OPTIONS') return;
    return reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type, x-chat-token, accept-language, idempotency-key')
      .header('access-control-max-age', '600')
      .send();
  });
}
