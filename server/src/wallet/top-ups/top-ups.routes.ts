import { declinedTopUpSchema, topUpRequestSchema, topUpSchema } from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import { idempotencyClaimOf, sendStored } from '../idempotency/idempotency.js';
import type { WalletDeps } from '../wallet-deps.js';
import { getTopUp } from './get-top-up.js';
import { createTopUpBatchers } from './top-up-batchers.js';
import { topUpOnce } from './top-up-once.js';
import { toTopUpView } from './top-up-view.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });
const uuidParams = z.object({ id: z.uuid() });

/** Top-ups from a bound card, charged through the bank this node was started with. */
export async function registerTopUpRoutes(app: App, deps: WalletDeps) {
  const customerOnly = requireCustomer(deps);
  // Top-ups from every request on this node share their database calls, a batch at a time.
  const batches = createTopUpBatchers(deps);
  app.addHook('onClose', async () => {
    await Promise.all([batches.start.drain(), batches.credit.drain()]);
  });

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
      const claim = idempotencyClaimOf(customerId, request);
      return sendStored(reply, await topUpOnce(deps, { ...request.body, customerId, claim, locale: request.locale }, batches));
    },
  );

  app.get(
    '/api/wallet/top-ups/:id',
    {
      schema: { tags: ['wallet'], summary: 'One of your top-ups', params: uuidParams, response: { 200: topUpSchema } },
      preHandler: customerOnly,
    },
    async (request) => toTopUpView(await getTopUp(deps.db, customerOf(request).customerId, request.params.id), request.locale),
  );
}
