import { bindCardRequestSchema, cardListSchema, cardSchema, noContentSchema } from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import { type App, clientInfo, withTransaction } from '../../platform/index.js';
import type { WalletDeps } from '../wallet-deps.js';
import { bindCard } from './bind-card.js';
import { listCards } from './list-cards.js';
import { removeCard } from './remove-card.js';

const uuidParams = z.object({ id: z.uuid() });

/** Bound cards, checked with the bank this node was started with. */
export async function registerCardRoutes(app: App, deps: WalletDeps) {
  const customerOnly = requireCustomer(deps);

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
      const card = await bindCard(deps, {
        customerId: customerOf(request).customerId,
        card: request.body,
        at: deps.clock.now(),
        ip: clientInfo(request).ip,
      });
      return reply.status(201).send(card);
    },
  );

  app.get(
    '/api/wallet/cards',
    {
      schema: { tags: ['wallet'], summary: 'Your bound cards (last four digits only)', response: { 200: cardListSchema } },
      preHandler: customerOnly,
    },
    async (request) => ({ cards: await listCards(deps.db, customerOf(request).customerId) }),
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
}
