import { noContentSchema, supportConversationDetailSchema, supportConversationListSchema } from '@okpay/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { getCustomerConversation, listCustomerConversations } from './list-customer-conversations.js';
import { markRead } from './mark-read.js';
import type { Participant } from './participant.js';

const conversationParams = z.strictObject({ id: z.uuid() });

/**
 * The customer's support conversations in the app (/app/support), over the session cookie: the
 * list, one conversation, and "read up to here". A tap on a notification lands on one of them.
 */
export async function registerCustomerConversationRoutes(app: App, deps: SupportDeps) {
  const customerOnly = requireCustomer(deps);
  // Only whose the conversation is matters here; the name is for authoring, which these routes never do.
  const participantOf = (request: FastifyRequest): Participant & { kind: 'customer' } => ({
    kind: 'customer',
    customerId: customerOf(request).customerId,
    name: '',
  });

  app.get(
    '/api/support/my-conversations',
    {
      schema: {
        tags: ['support'],
        summary: 'The signed-in customer’s support conversations, newest first',
        response: { 200: supportConversationListSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => ({ conversations: await listCustomerConversations(deps, customerOf(request).customerId) }),
  );

  app.get(
    '/api/support/my-conversations/:id',
    {
      schema: {
        tags: ['support'],
        summary: 'One of the customer’s conversations with its messages (internal notes never)',
        params: conversationParams,
        response: { 200: supportConversationDetailSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => getCustomerConversation(deps, participantOf(request), request.params.id),
  );

  app.post(
    '/api/support/my-conversations/:id/read',
    {
      schema: {
        tags: ['support'],
        summary: 'The customer has read the conversation up to its newest message',
        params: conversationParams,
        response: { 204: noContentSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      await markRead(deps, { conversationId: request.params.id, participant: participantOf(request), seq: Number.MAX_SAFE_INTEGER });
      return reply.status(204).send(null);
    },
  );
}
