import { declinedTopUpSchema, topUpRequestSchema, topUpSchema } from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import type { Acquirer } from '../cards/acquirer.js';
import { claimIdempotencyKey, idempotencyKeyOf, sendStored } from '../idempotency/idempotency.js';
import { WalletError } from '../wallet.errors.js';
import { answerClaimedTopUp } from './answer-claimed-top-up.js';
import { createTopUp } from './create-top-up.js';
import { findTopUpOfKey, getTopUp } from './get-top-up.js';
import { topUpAnswer, toTopUpView } from './top-up-view.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });
const uuidParams = z.object({ id: z.uuid() });

/** Top-ups from a bound card; they share the card routes' acquirer. */
export async function registerTopUpRoutes(app: App, deps: Deps, acquirer: Acquirer) {
  const customerOnly = requireCustomer(deps);
  const context = { pool: deps.pool, acquirer, config: deps.config, clock: deps.clock, logger: deps.logger };

  app.post(
    '/api/wallet/top-ups',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Top up from a bound card (Idempotency-Key required): 201 credited, 202 waiting for the bank, 402 declined',
        headers: idempotencyHeader,
        body: topUpRequestSchema,
        response: { 201: topUpSchema, 202: topUpSchema, 402: declinedTopUpSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const customerId = customerOf(request).customerId;
      const key = idempotencyKeyOf(request);
      // Claimed and committed before the bank is called: a duplicate meanwhile hears 409, not a second charge.
      const claim = await claimIdempotencyKey(deps.pool, {
        customerId,
        request,
        at: deps.clock.now(),
        staleAfterSeconds: deps.config.reconcileAfterSeconds,
        hasStarted: async (client) => (await findTopUpOfKey(client, customerId, key)) !== undefined,
      });
      if (claim.stored) return sendStored(reply, { ...claim.stored, isReplay: true });
      if (!claim.isOwner) {
        // Another request holds the key (or held it and died): answer from the top-up it started.
        const answer = await answerClaimedTopUp({ ...deps, acquirer }, { customerId, key, locale: request.locale });
        if (!answer) throw WalletError('idempotency_key_in_progress');
        if (answer.isFinal) await claim.complete(answer.response);
        return sendStored(reply, { ...answer.response, isReplay: true });
      }
      let topUp: Awaited<ReturnType<typeof createTopUp>>;
      try {
        topUp = await createTopUp(context, { customerId, ...request.body, idempotencyKey: key, claimToken: claim.token });
      } catch (error) {
        // Refused before the bank was called: nothing happened, so a corrected retry may reuse the key.
        if (error instanceof AppError && error.status < 500) await claim.release();
        // Failed unexpectedly: if no top-up was recorded, nothing happened either; otherwise the top-up
        // is pending and reconciliation completes the key with its final answer.
        else if (!(await findTopUpOfKey(deps.pool, customerId, key))) await claim.release();
        throw error;
      }
      const response = topUpAnswer(topUp, request.locale);
      await claim.complete(response);
      return sendStored(reply, { ...response, isReplay: false });
    },
  );

  app.get(
    '/api/wallet/top-ups/:id',
    {
      schema: { tags: ['wallet'], summary: 'One of your top-ups', params: uuidParams, response: { 200: topUpSchema } },
      preHandler: customerOnly,
    },
    async (request) => toTopUpView(await getTopUp(deps.pool, customerOf(request).customerId, request.params.id), request.locale),
  );
}
