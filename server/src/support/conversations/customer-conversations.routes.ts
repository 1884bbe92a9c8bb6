import {
  noContentSchema,
  type SupportConversationSummary,
  supportConversationDetailSchema,
  supportConversationListSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { customerOf, requireCustomer } from '../../identity/index.js';
import type { App } from '../../platform/http/types.js';
import type { SupportDeps } from '../support-deps.js';
import { type ConversationRow, getConversationFor, toMessageView } from './conversation-row.js';
import { listMessagesAfter } from './list-messages.js';
import { markRead } from './mark-read.js';
import type { Participant } from './participant.js';

type SummaryRow = ConversationRow & { agent_name: string | null; has_unread_reply: boolean };

// A customer's conversations, newest activity first, each with whether our side wrote since they last read.
const summarySelect = `
SELECT c.*, s.display_name AS agent_name,
  EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'agent' AND NOT m.is_internal
          AND m.seq > coalesce((SELECT r.last_read_seq FROM conversation_reads r
                                WHERE r.conversation_id = c.id AND r.reader_type = 'customer' AND r.reader_id = c.customer_id::text), 0)) AS has_unread_reply
FROM conversations c LEFT JOIN staff_members s ON s.id = c.assignee_id
WHERE c.customer_id = $1`;

function toSummary(row: SummaryRow): SupportConversationSummary {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    category: row.category,
    reference: row.reference,
    subject: row.subject,
    agentName: row.agent_name,
    lastMessageAt: row.last_message_at?.toISOString() ?? null,
    hasUnreadReply: row.has_unread_reply,
    createdAt: row.created_at.toISOString(),
  };
}

const conversationParams = z.strictObject({ id: z.uuid() });

/**
 * The customer's support conversations in the app (/app/support): every channel, with what both
 * sides wrote. A tap on a notification lands here, and the page fetches what the notification
 * could not carry.
 */
export async function registerCustomerConversationRoutes(app: App, deps: SupportDeps) {
  const customerOnly = requireCustomer(deps);
  const participantOf = async (customerId: string): Promise<Participant> => {
    const found = await deps.pool.query<{ display_name: string }>('SELECT display_name FROM customers WHERE id = $1', [customerId]);
    return { kind: 'customer', customerId, name: found.rows[0]?.display_name ?? '' };
  };

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
    async (request) => {
      const rows = await deps.pool.query<SummaryRow>(
        `${summarySelect} ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id LIMIT 50`,
        [customerOf(request).customerId],
      );
      return { conversations: rows.rows.map(toSummary) };
    },
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
    async (request) => {
      const customerId = customerOf(request).customerId;
      const conversation = await getConversationFor(deps.pool, request.params.id, await participantOf(customerId));
      const [summary, messages] = await Promise.all([
        deps.pool.query<SummaryRow>(`${summarySelect} AND c.id = $2`, [customerId, conversation.id]),
        listMessagesAfter(deps.pool, { conversationId: conversation.id, afterSeq: 0, includeInternal: false, limit: 1000 }),
      ]);
      return {
        conversation: toSummary(summary.rows[0] as SummaryRow),
        messages: messages.map((row) => {
          const view = toMessageView(row);
          return {
            id: view.id,
            seq: view.seq,
            authorType: view.authorType,
            authorName: view.authorName,
            body: view.body,
            attachment: view.attachment,
            createdAt: view.createdAt,
          };
        }),
      };
    },
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
      const participant = await participantOf(customerOf(request).customerId);
      const conversation = await getConversationFor(deps.pool, request.params.id, participant);
      await markRead(deps, conversation, participant, Number(conversation.last_message_seq));
      return reply.status(204).send(null);
    },
  );
}
