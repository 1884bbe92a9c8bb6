import fastifyMultipart from '@fastify/multipart';
import {
  emailQueuedSchema,
  errorBodySchema,
  inboundMailAcceptedSchema,
  startEmailConversationSchema,
  startedEmailConversationSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import { staffParticipant } from '../conversations/participant.js';
import type { SupportDeps } from '../support-deps.js';
import { EmailError } from './email.errors.js';
import { acceptWebhookMail, emailTooLarge } from './inbound/accept-webhook-mail.js';
import { retryEmail } from './outbound/retry-email.js';
import { startEmailConversation } from './start-email-conversation.js';

/** The console's email actions, and the provider webhook that feeds raw mail into the same pipeline as SMTP. */
export async function registerEmailRoutes(app: App, deps: SupportDeps) {
  const staffOnly = requireStaff(deps);
  const actorOf = (request: Parameters<typeof staffOf>[0]) => staffParticipant(staffOf(request));

  app.post(
    '/api/agent/email/conversations',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Write to a customer by email: a new email conversation, assigned to you, whose first message is sent as mail',
        body: startEmailConversationSchema,
        response: { 201: startedEmailConversationSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => reply.status(201).send(await startEmailConversation(deps, actorOf(request), request.body)),
  );

  app.post(
    '/api/agent/email/messages/:id/retry',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Send a failed or bounced email again',
        params: z.object({ id: z.uuid() }),
        response: {
          202: emailQueuedSchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      await retryEmail(deps, actorOf(request), request.params.id);
      return reply.status(202).send({ status: 'queued' as const });
    },
  );

  // Mailgun posts raw MIME (`body-mime`) as multipart form data to a route URL ending in "mime".
  await app.register(async (scope) => {
    const limit = deps.config.email.maxMessageBytes;
    await scope.register(fastifyMultipart, { limits: { fieldSize: limit + 1, fileSize: limit + 1, files: 1, fields: 20 } });
    scope.post(
      '/api/email/inbound/mailgun/mime',
      {
        schema: {
          tags: ['email'],
          summary: "Provider inbound webhook: a raw message from Mailgun's forward() route, signed with the webhook signing key",
          consumes: ['multipart/form-data'],
          response: {
            200: inboundMailAcceptedSchema,
            400: errorBodySchema,
            401: errorBodySchema,
            404: errorBodySchema,
            413: errorBodySchema,
          },
        },
      },
      async (request, reply) => {
        const key = deps.config.email.webhookSigningKey;
        if (!key) throw EmailError('email_webhook_disabled');
        if (!request.isMultipart()) throw EmailError('email_webhook_body_missing');
        const fields: Record<string, string> = {};
        let raw: Buffer | undefined;
        const tooLarge = () => emailTooLarge(limit);
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              const bytes = await part.toBuffer();
              if (part.fieldname === 'body-mime') raw = bytes;
            } else if (part.fieldname === 'body-mime') {
              if (part.valueTruncated) throw tooLarge();
              raw = Buffer.from(String(part.value), 'utf8');
            } else if (typeof part.value === 'string') {
              fields[part.fieldname] = part.value.slice(0, 2000);
            }
          }
        } catch (error) {
          if (error instanceof Error && /too large|limit/i.test(error.message)) throw tooLarge();
          throw error;
        }
        const stored = await acceptWebhookMail(deps, { fields, raw, remoteAddress: request.ip });
        return reply.status(200).send(stored);
      },
    );
  });
}
