import {
  balancesResponseSchema,
  currencySchema,
  fxQuoteRequestSchema,
  fxQuoteSchema,
  fxRateChangeListSchema,
  fxRateChangeSchema,
  fxRateChangeStatuses,
  fxRateDecisionSchema,
  fxRateRejectionSchema,
  fxRatesResponseSchema,
  localeSchema,
  setFxRateRequestSchema,
  setFxRateResponseSchema,
  transactionFiltersSchema,
  transactionPageSchema,
  transferRequestSchema,
  transferSchema,
  walletTransactionSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer, requireStaff, staffOf } from '../identity/index.js';
import { type App, errorBody } from '../platform/index.js';
import { registerCardRoutes } from './cards/cards.routes.js';
import { createFxQuote } from './fx/create-fx-quote.js';
import { decideFxRateChange } from './fx/decide-fx-rate-change.js';
import { executeFxQuote } from './fx/execute-fx-quote.js';
import { listFxRateChanges } from './fx/fx-rate-change-view.js';
import { listFxRates } from './fx/list-fx-rates.js';
import { setFxRate } from './fx/set-fx-rate.js';
import { transactionsCsv } from './history/export-csv.js';
import { getTransaction, queryTransactions, toTransactionView } from './history/list-transactions.js';
import { idempotencyClaimOf, runIdempotent, sendStored } from './idempotency/idempotency.js';
import { getBalances } from './ledger/get-balances.js';
import { registerTopUpRoutes } from './top-ups/top-ups.routes.js';
import { createTransferBatcher } from './transfers/transfer-batcher.js';
import type { WalletDeps } from './wallet-deps.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });
const uuidParams = z.object({ id: z.uuid() });

/** Balances, transfers, exchange and history: the customer's side of the wallet. */
export async function registerWalletRoutes(app: App, deps: WalletDeps) {
  const customerOnly = requireCustomer(deps);
  // Transfers from every request on this node are committed together, a batch at a time.
  const transfers = createTransferBatcher({ db: deps.db, risk: deps.config.risk, logger: deps.logger });
  app.addHook('onClose', () => transfers.drain());
  const idempotent = (request: Parameters<typeof customerOf>[0]) => ({
    db: deps.db,
    customerId: customerOf(request).customerId,
    request,
    renderError: (error: Parameters<typeof errorBody>[0]) => ({ status: error.status, body: errorBody(error, request.locale) }),
  });

  app.get(
    '/api/wallet/balances',
    {
      schema: { tags: ['wallet'], summary: 'Balances in every currency the customer holds', response: { 200: balancesResponseSchema } },
      preHandler: customerOnly,
    },
    async (request) => getBalances(deps.db, customerOf(request).customerId),
  );

  app.post(
    '/api/wallet/transfers',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Send money to another OKPay customer by email or phone (Idempotency-Key required)',
        headers: idempotencyHeader,
        body: transferRequestSchema,
        response: { 201: transferSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const body = request.body;
      const recipientText = body.recipient ?? body.recipientEmail ?? body.recipientPhone ?? '';
      const recipient = recipientText.includes('@') ? { email: recipientText } : { phone: recipientText.replace(/[\s-]/g, '') };
      const answer = await transfers.send({
        claim: idempotencyClaimOf(customerOf(request).customerId, request),
        recipient,
        amount: body.amount,
        currency: body.currency,
        note: body.note,
        at: deps.clock.now(),
        renderError: idempotent(request).renderError,
      });
      return sendStored(reply, answer);
    },
  );

  app.post(
    '/api/wallet/fx/quotes',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Price an exchange; the rate is fixed until the quote expires',
        body: fxQuoteRequestSchema,
        response: { 201: fxQuoteSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const quote = await createFxQuote(deps, {
        customerId: customerOf(request).customerId,
        from: request.body.from,
        to: request.body.to,
        amount: request.body.amount,
        at: deps.clock.now(),
      });
      return reply.status(201).send(quote);
    },
  );

  app.post(
    '/api/wallet/fx/quotes/:id/execute',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Exchange at the quoted rate (Idempotency-Key required)',
        headers: idempotencyHeader,
        params: uuidParams,
        response: { 200: fxQuoteSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const response = await runIdempotent(idempotent(request), async (tx) => ({
        status: 200,
        body: await executeFxQuote(tx, { customerId: customerOf(request).customerId, quoteId: request.params.id, at: deps.clock.now() }),
      }));
      return sendStored(reply, response);
    },
  );

  app.get(
    '/api/agent/fx/rates',
    {
      schema: {
        tags: ['staff'],
        summary: 'Mid-market rates (units per US dollar), the spread and how far one admin may move a rate',
        response: { 200: fxRatesResponseSchema },
      },
      preHandler: requireStaff(deps),
    },
    async () => listFxRates(deps),
  );

  app.put(
    '/api/agent/fx/rates/:currency',
    {
      schema: {
        tags: ['staff'],
        summary:
          'Set a mid-market rate (admins): within the band it applies at once (200), beyond it waits for a second admin (202); quotes already given keep their rate',
        params: z.object({ currency: currencySchema }),
        body: setFxRateRequestSchema,
        response: { 200: setFxRateResponseSchema, 202: setFxRateResponseSchema },
      },
      preHandler: requireStaff(deps, ['admin']),
    },
    async (request, reply) => {
      const result = await setFxRate(deps, {
        currency: request.params.currency,
        unitsPerUsd: request.body.unitsPerUsd,
        note: request.body.note,
        staffId: staffOf(request).staffId,
        ip: request.ip,
      });
      const change = result.status === 'pending_approval' ? result.change : null;
      return reply
        .status(change ? 202 : 200)
        .send({ currency: request.params.currency, unitsPerUsd: request.body.unitsPerUsd, status: result.status, change });
    },
  );

  app.get(
    '/api/agent/fx/rate-changes',
    {
      schema: {
        tags: ['staff'],
        summary: 'Rate changes beyond the band: waiting for a second admin, approved or rejected',
        querystring: z.strictObject({ status: z.enum(fxRateChangeStatuses).default('pending') }),
        response: { 200: fxRateChangeListSchema },
      },
      preHandler: requireStaff(deps),
    },
    async (request) => ({ changes: await listFxRateChanges(deps.db, request.query.status) }),
  );

  for (const [path, decision, body] of [
    ['approve', 'approved', fxRateDecisionSchema],
    ['reject', 'rejected', fxRateRejectionSchema],
  ] as const) {
    app.post(
      `/api/agent/fx/rate-changes/:id/${path}`,
      {
        schema: {
          tags: ['staff'],
          summary:
            decision === 'approved'
              ? 'Approve a rate change another admin proposed; the rate applies if it has not moved since'
              : 'Reject a rate change another admin proposed, saying why',
          params: uuidParams,
          body,
          response: { 200: fxRateChangeSchema },
        },
        preHandler: requireStaff(deps, ['admin']),
      },
      async (request) =>
        decideFxRateChange(deps, {
          changeId: request.params.id,
          staffId: staffOf(request).staffId,
          decision,
          note: request.body.note,
          ip: request.ip,
        }),
    );
  }

  app.get(
    '/api/wallet/transactions',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Transaction history with filters and cursor pagination, newest first',
        querystring: transactionFiltersSchema,
        response: { 200: transactionPageSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const page = await queryTransactions(deps.db, customerOf(request).customerId, request.query, deps.config.timeZone);
      return { transactions: page.rows.map((row) => toTransactionView(row, request.locale)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/wallet/transactions.csv',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Statement export as CSV (same filters, up to 10,000 rows)',
        // `locale` lets a plain download link ask for the UI's language rather than the browser's.
        querystring: transactionFiltersSchema.omit({ cursor: true, limit: true }).extend({ locale: localeSchema.optional() }),
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const { locale = request.locale, ...filters } = request.query;
      const page = await queryTransactions(deps.db, customerOf(request).customerId, { ...filters, limit: 10_000 }, deps.config.timeZone);
      const day = new Intl.DateTimeFormat('sv-SE', { timeZone: deps.config.timeZone }).format(deps.clock.now());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="okpay-statement-${day}.csv"`)
        .send(transactionsCsv(page.rows, locale, deps.config.timeZone));
    },
  );

  app.get(
    '/api/wallet/transactions/:id',
    {
      schema: { tags: ['wallet'], summary: 'One transaction', params: uuidParams, response: { 200: walletTransactionSchema } },
      preHandler: customerOnly,
    },
    async (request) => {
      return toTransactionView(await getTransaction(deps.db, customerOf(request).customerId, request.params.id), request.locale);
    },
  );

  await registerCardRoutes(app, deps);
  await registerTopUpRoutes(app, deps);
}
