import { bindCardRequestSchema, cardListSchema, cardSchema, noContentSchema } from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Deps } from '../../platform/deps.js';
import { type App, clientInfo } from '../../platform/http/types.js';
import { registerTopUpRoutes } from '../top-ups/top-ups.routes.js';
import { bindCard } from './bind-card.js';
import { createAcquirer } from './create-acquirer.js';
import { listCards } from './list-cards.js';
import { removeCard } from './remove-card.js';

const uuidParams = z.object({ id: z.uuid() });

/** Bound cards and the top-ups they fund, sharing one acquirer. */
export async function registerCardRoutes(app: App, deps: Deps) {
  const customerOnly = requireCustomer(deps);
  const acquirer = createAcquirer(deps);

  app.post(
    '/api/wallet/cards',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Bind a bank card; the CVC is checked with the bank and never stored',
        body: bindCardRequestSchema,
        response: { 201: cardSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const card = await bindCard(
        { pool: deps.pool, db: deps.db, config: deps.config, acquirer },
        { customerId: customerOf(request).customerId, card: request.body, at: deps.clock.now(), ip: clientInfo(request).ip },
      );
      return reply.status(201).send(card);
    },
  );

  app.get(
    '/api/wallet/cards',
    {
      schema: { tags: ['wallet'], summary: 'Your bound cards (last four digits only)', response: { 200: cardListSchema } },
      preHandler: customerOnly,
    },
    async (request) => ({ cards: await listCards(deps.pool, customerOf(request).customerId) }),
  );

  app.delete(
    '/api/wallet/cards/:id',
    {
      schema: { tags: ['wallet'], summary: 'Remove a bound card', params: uuidParams, response: { 204: noContentSchema } },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      await withTransaction(deps.pool, (tx) =>
        removeCard(tx, {
          customerId: customerOf(request).customerId,
          cardId: request.params.id,
          at: deps.clock.now(),
          ip: clientInfo(request).ip,
        }),
      );
      return reply.status(204).send(null);
    },
  );

  await registerTopUpRoutes(app, deps, acquirer);
}
