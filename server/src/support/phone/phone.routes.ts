import {
  callbackAttemptSchema,
  callbackRequestSchema,
  callbackSlotsQuerySchema,
  callbackSlotsSchema,
  callbackViewSchema,
  errorBodySchema,
} from '@okpay/contracts';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import { chatParticipant, requireChatParticipant } from '../chat-auth.js';
import { staffParticipant } from '../conversations/participant.js';
import type { SupportDeps } from '../support-deps.js';
import { listCallbackSlots } from './list-callback-slots.js';
import { recordCallbackAttempt } from './record-callback-attempt.js';
import { requestCallback } from './request-callback.js';
import { handleTwilioWebhook, twilioSteps } from './twilio/handle-twilio-webhook.js';

const twilioQuery = z.strictObject({ step: z.enum(twilioSteps).default('voice'), default: z.literal('1').optional() });
/** Twilio posts form fields; every one of them is signed, so none is dropped before checking. */
const twilioBody = z.record(z.string().max(64), z.string().max(2000));

/** Callbacks (customers ask, agents log their calls) and telephony providers' webhooks (Twilio's answers TwiML). */
export async function registerPhoneRoutes(app: App, deps: SupportDeps) {
  const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
  app.get(
    '/api/support/callbacks/slots',
    {
      schema: {
        tags: ['support'],
        summary: 'The times a callback can be booked: half hours inside the phone line’s hours, labelled in the reader’s zone (public)',
        querystring: callbackSlotsQuerySchema,
        response: { 200: callbackSlotsSchema, 400: errorBodySchema },
      },
    },
    async (request) => listCallbackSlots(deps, { locale: request.locale, timeZone: request.query.timeZone }),
  );

  app.post(
    '/api/support/callbacks',
    {
      schema: {
        tags: ['support'],
        summary: 'Ask to be called back on a number at a time within the phone line’s hours (signed-in customers, x-chat-token)',
        body: callbackRequestSchema,
        response: { 201: callbackViewSchema, ...errors },
      },
      preHandler: requireChatParticipant(deps),
    },
    async (request, reply) => {
      const participant = await chatParticipant(deps, request);
      return reply.status(201).send(await requestCallback(deps, participant, request.body, request.locale));
    },
  );

  app.post(
    '/api/agent/callbacks/:id/attempts',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Log a call made for a due callback: reached, or missed (tried again per the retry policy, the customer told)',
        params: z.object({ id: z.uuid() }),
        body: callbackAttemptSchema,
        response: { 200: callbackViewSchema, ...errors },
      },
      preHandler: requireStaff(deps),
    },
    async (request) => {
      return recordCallbackAttempt(deps, staffParticipant(staffOf(request)), request.params.id, request.body);
    },
  );

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
      const params: Record<string, string> = {};
      for (const [name, value] of new URLSearchParams(String(body))) params[name] = value;
      done(null, params);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/telephony/webhooks/twilio',
      {
        schema: {
          tags: ['telephony'],
          summary:
            "Twilio's voice webhook (voice URL, status callback and the IVR's actions by `step`), signed with X-Twilio-Signature; answers TwiML",
          consumes: ['application/x-www-form-urlencoded'],
          querystring: twilioQuery,
          body: twilioBody,
          response: { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
        },
      },
      async (request, reply) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const answer = await handleTwilioWebhook(deps, {
          url: `${deps.config.publicUrl}${request.url}`,
          step: request.query.step,
          params: request.body,
          signature: header('x-twilio-signature'),
          idempotencyToken: header('i-twilio-idempotency-token'),
        });
        // TwiML, not JSON: sent as it is, past the JSON response schemas (which cover the refusals).
        return (reply as FastifyReply)
          .header('content-type', 'text/xml; charset=utf-8')
          .header('x-okpay-call-id', answer.call.id)
          .header('x-okpay-call-state', answer.call.state)
          .send(answer.twiml);
      },
    );
  });
}
