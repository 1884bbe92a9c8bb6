import { errorBodySchema } from '@okpay/contracts';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { handleTwilioWebhook, twilioSteps } from './twilio/handle-twilio-webhook.js';

const twilioQuery = z.strictObject({ step: z.enum(twilioSteps).default('voice'), default: z.literal('1').optional() });
/** Twilio posts form fields; every one of them is signed, so none is dropped before checking. */
const twilioBody = z.record(z.string().max(64), z.string().max(2000));

/** Telephony providers' webhooks: Twilio's voice webhook answers with TwiML. */
export async function registerPhoneRoutes(app: App, deps: SupportDeps) {
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
