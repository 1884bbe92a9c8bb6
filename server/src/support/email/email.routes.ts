import { createHmac, timingSafeEqual } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import { errorBodySchema, startEmailConversationSchema, startedEmailConversationSchema } from '@okpay/contracts';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/http/types.js';
import type { SupportDeps } from '../support-deps.js';
import { EmailError } from './email.errors.js';
import { acceptInbound } from './email-channel.js';
import { retryEmail } from './outbound/retry-email.js';
import { startEmailConversation } from './start-email-conversation.js';

const webhookMaxAgeSeconds = 15 * 60;

/**
 * Mailgun's webhook signature: HMAC-SHA256 of timestamp + token with the webhook signing key,
 * hex. The timestamp must be recent, so a captured request cannot be replayed later.
 */
export function isMailgunSignatureValid(
  key: string,
  fields: { timestamp: string; token: string; signature: string },
  nowSeconds: number,
): 'ok' | 'invalid' | 'stale' {
  const expected = createHmac('sha256', key).update(`${fields.timestamp}${fields.token}`).digest();
  const given = /^[0-9a-f]{64}$/i.test(fields.signature) ? Buffer.from(fields.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  const timestamp = Number(fields.timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > webhookMaxAgeSeconds) return 'stale';
  return 'ok';
}

/** The console's email actions, and the provider webhook that feeds raw mail into the same pipeline as SMTP. */
export async function registerEmailRoutes(app: App, deps: SupportDeps) {
  const staffOnly = requireStaff(deps);
  const actorOf = (request: Parameters<typeof staffOf>[0]) => {
    const staff = staffOf(request);
    return { kind: 'staff' as const, staffId: staff.staffId, name: staff.displayName, role: staff.role };
  };

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
    async (request, reply) => {
      const conversation = await startEmailConversation(deps, actorOf(request), request.body);
      return reply.status(201).send({ conversationId: conversation.id, reference: conversation.reference ?? '' });
    },
  );

  app.post(
    '/api/agent/email/messages/:id/retry',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Send a failed or bounced email again',
        params: z.object({ id: z.uuid() }),
        response: {
          202: z.object({ status: z.literal('queued') }),
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
            200: z.object({ id: z.string(), isDuplicate: z.boolean() }),
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
        const tooLarge = () => EmailError('email_too_large', { limit: `${Math.round(limit / 1024 / 1024)} MB` });
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
        const verdict = isMailgunSignatureValid(
          key,
          { timestamp: fields.timestamp ?? '', token: fields.token ?? '', signature: fields.signature ?? '' },
          Math.floor(deps.clock.now().getTime() / 1000),
        );
        if (verdict === 'invalid') throw EmailError('email_webhook_signature_invalid');
        if (verdict === 'stale') throw EmailError('email_webhook_stale');
        if (!raw || raw.length === 0) throw EmailError('email_webhook_body_missing');
        if (raw.length > limit) throw tooLarge();
        const stored = await acceptInbound(
          deps,
          {
            source: 'webhook',
            envelopeFrom: fields.sender ?? null,
            envelopeTo: (fields.recipient ?? deps.config.email.supportAddress)
              .split(',')
              .map((address) => address.trim())
              .filter(Boolean),
            remoteAddress: request.ip,
          },
          raw,
        );
        return reply.status(200).send(stored);
      },
    );
  });
}
