import { topUpRequestSchema, topUpSchema } from '@okpay/contracts';
import type pg from 'pg';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import type { Acquirer } from '../cards/acquirer.js';
import { claimIdempotencyKey, idempotencyKeyOf, sendStored } from '../idempotency/idempotency.js';
import { createTopUp } from './create-top-up.js';
import { getTopUp } from './get-top-up.js';
import { topUpHttpStatus, toTopUpView } from './top-up-view.js';

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
        response: { 201: topUpSchema, 202: topUpSchema, 402: topUpSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const customerId = customerOf(request).customerId;
      // Claimed and committed before the bank is called: a duplicate meanwhile hears 409, not a second charge.
      const claim = await claimIdempotencyKey(deps.pool, { customerId, request });
      if (claim.stored) return sendStored(reply, { ...claim.stored, isReplay: true });
      let topUp: Awaited<ReturnType<typeof createTopUp>>;
      try {
        topUp = await createTopUp(context, { customerId, ...request.body, idempotencyKey: idempotencyKeyOf(request) });
      } catch (error) {
        // Refused before the bank was called: nothing happened, so a corrected retry may reuse the key.
        if (error instanceof AppError && error.status < 500) await claim.release();
        // Failed unexpectedly: if no top-up was recorded, nothing happened either; otherwise the top-up
        // is pending and reconciliation completes the key with its final answer.
        else if (!(await topUpExists(deps.pool, customerId, idempotencyKeyOf(request)))) await claim.release();
        throw error;
      }
      const response = { status: topUpHttpStatus(topUp), body: toTopUpView(topUp, request.locale) };
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

async function topUpExists(pool: pg.Pool, customerId: string, idempotencyKey: string): Promise<boolean> {
  const found = await pool.query('SELECT 1 FROM top_ups WHERE customer_id = $1 AND idempotency_key = $2', [customerId, idempotencyKey]);
  return (found.rowCount ?? 0) > 0;
}
