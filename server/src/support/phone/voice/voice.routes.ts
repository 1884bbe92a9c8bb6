import { errorBodySchema, iceServersSchema } from '@okpay/contracts';
import { requireStaff, staffOf } from '../../../identity/index.js';
import type { App } from '../../../platform/index.js';
import { chatParticipant, requireChatParticipant } from '../../chat-auth.js';
import { authorIdOf } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { iceServersFor } from './ice-servers.js';

/** In-app voice over HTTP: the STUN/TURN servers each side's browser needs (the call itself is signalled over Socket.IO). */
export async function registerVoiceRoutes(app: App, deps: SupportDeps) {
  app.get(
    '/api/support/voice/ice-servers',
    {
      schema: {
        tags: ['support'],
        summary: 'STUN/TURN servers for an in-app call, with short-lived TURN credentials (widget token, x-chat-token)',
        response: { 200: iceServersSchema, 401: errorBodySchema },
      },
      preHandler: requireChatParticipant(deps),
    },
    async (request) => {
      const participant = await chatParticipant(deps, request);
      return iceServersFor(deps.config.voice, `${participant.kind}:${authorIdOf(participant)}`, deps.clock.now());
    },
  );

  app.get(
    '/api/agent/voice/ice-servers',
    {
      schema: {
        tags: ['agent console'],
        summary: 'STUN/TURN servers for answering in-app calls, with short-lived TURN credentials',
        response: { 200: iceServersSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
      preHandler: requireStaff(deps),
    },
    async (request) => iceServersFor(deps.config.voice, `staff:${staffOf(request).staffId}`, deps.clock.now()),
  );
}
