import {
  acceptedResponseSchema,
  chatMessageSchema,
  clientMessageIdSchema,
  conversationCategorySchema,
  conversationChannelSchema,
  conversationPrioritySchema,
  conversationStatusSchema,
  instantSchema,
  messageBodySchema,
  presenceSchema,
  socketTokenSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { publicSessionId, requestPasswordResetByStaff, requireStaff, signRealtimeToken, staffOf } from '../identity/index.js';
import { PlatformError } from '../platform/errors.js';
import type { App } from '../platform/http/types.js';
import { openCustomerPanel } from './agent-console/customer-panel.js';
import { inboxCounts, listInbox } from './agent-console/list-inbox.js';
import { assignConversation } from './conversations/assign-conversation.js';
import { getConversationFor, toMessageView } from './conversations/conversation-row.js';
import { listMessagesAfter } from './conversations/list-messages.js';
import { markRead } from './conversations/mark-read.js';
import type { Participant } from './conversations/participant.js';
import { postMessage } from './conversations/post-message.js';
import { updateConversation } from './conversations/update-conversation.js';
import { emailDetails } from './email/email-view.js';
import { setPresence } from './routing/presence.js';
import { estimateWait, onlineAgentCount, typicalHandleSeconds, waitingQueue } from './routing/queue.js';
import { SupportError } from './support.errors.js';
import type { SupportDeps } from './support-deps.js';

const idParams = z.object({ id: z.uuid() });

/** The agent console's API: inbox, conversation, customer panel, presence and the supervisor view. */
export async function registerAgentConsoleRoutes(app: App, deps: SupportDeps) {
  const staffOnly = requireStaff(deps);
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);
  const actorOf = (request: Parameters<typeof staffOf>[0]): Participant & { kind: 'staff' } => {
    const staff = staffOf(request);
    return { kind: 'staff', staffId: staff.staffId, name: staff.displayName, role: staff.role };
  };

  app.post(
    '/api/agent/realtime-token',
    {
      schema: { tags: ['agent console'], summary: 'A short-lived token for the console socket', response: { 200: socketTokenSchema } },
      preHandler: staffOnly,
    },
    async (request) => {
      const { token, expiresAt } = signRealtimeToken(
        deps.config.sessionSecret,
        { kind: 'staff', staffId: staffOf(request).staffId, sessionId: publicSessionId(staffOf(request).session.id) },
        deps.clock.now(),
      );
      return { token, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/api/agent/conversations',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Inbox: mine, unassigned or all, with filters and search',
        querystring: z.strictObject({
          view: z.enum(['mine', 'unassigned', 'all']).default('mine'),
          status: conversationStatusSchema.optional(),
          category: conversationCategorySchema.optional(),
          channel: conversationChannelSchema.optional(),
          q: z.string().trim().min(1).max(100).optional(),
          sort: z.enum(['activity', 'due']).default('activity'),
          before: instantSchema.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const staffId = staffOf(request).staffId;
      const [conversations, counts] = await Promise.all([listInbox(deps.pool, staffId, request.query), inboxCounts(deps.pool, staffId)]);
      return { conversations, counts };
    },
  );

  app.get(
    '/api/agent/conversations/:id',
    {
      schema: { tags: ['agent console'], summary: 'A conversation with messages, internal notes, links and timeline', params: idParams },
      preHandler: staffOnly,
    },
    async (request) => {
      const conversation = await getConversationFor(deps.pool, request.params.id, actorOf(request));
      const [messages, events, links, assignee, customer, customerRead, email] = await Promise.all([
        listMessagesAfter(deps.pool, { conversationId: conversation.id, afterSeq: 0, includeInternal: true, limit: 2000 }),
        deps.pool.query(
          'SELECT type, actor_type, actor_id, data, created_at FROM conversation_events WHERE conversation_id = $1 ORDER BY id',
          [conversation.id],
        ),
        deps.pool.query(
          'SELECT object_type AS type, object_id AS id FROM conversation_links WHERE conversation_id = $1 ORDER BY created_at',
          [conversation.id],
        ),
        conversation.assignee_id
          ? deps.pool.query<{ display_name: string }>('SELECT display_name FROM staff_members WHERE id = $1', [conversation.assignee_id])
          : Promise.resolve({ rows: [] as Array<{ display_name: string }> }),
        conversation.customer_id
          ? deps.pool.query<{ display_name: string; email: string }>('SELECT display_name, email FROM customers WHERE id = $1', [
              conversation.customer_id,
            ])
          : Promise.resolve({ rows: [] as Array<{ display_name: string; email: string }> }),
        deps.pool.query<{ seq: string | null }>(
          "SELECT max(last_read_seq) AS seq FROM conversation_reads WHERE conversation_id = $1 AND reader_type IN ('customer', 'visitor')",
          [conversation.id],
        ),
        emailDetails(deps, conversation),
      ]);
      return {
        conversation: {
          id: conversation.id,
          customerId: conversation.customer_id,
          visitorId: conversation.visitor_id,
          isVerified: conversation.is_verified,
          channel: conversation.channel,
          status: conversation.status,
          priority: conversation.priority,
          category: conversation.category,
          tags: conversation.tags,
          customerName: customer.rows[0]?.display_name ?? conversation.contact_name,
          customerEmail: customer.rows[0]?.email ?? conversation.contact_email,
          /** How far the customer has read, for read receipts on the agent's side. */
          customerReadSeq: Number(customerRead.rows[0]?.seq ?? 0),
          contactName: conversation.contact_name,
          contactEmail: conversation.contact_email,
          locale: conversation.locale,
          assigneeId: conversation.assignee_id,
          assigneeName: assignee.rows[0]?.display_name ?? null,
          isOfflineMessage: conversation.is_offline_message,
          lastMessageSeq: Number(conversation.last_message_seq),
          firstResponseAt: conversation.first_response_at?.toISOString() ?? null,
          waitingSince: conversation.waiting_since?.toISOString() ?? null,
          subject: conversation.subject,
          reference: conversation.reference,
          responseDueAt:
            conversation.status === 'open' || conversation.status === 'pending'
              ? (conversation.response_due_at?.toISOString() ?? null)
              : null,
          createdAt: conversation.created_at.toISOString(),
        },
        messages: messages.map(toMessageView),
        /** Email conversations: where mail goes, and the mail side of each message (quoted history, files, delivery). */
        email,
        links: links.rows,
        events: events.rows.map((row) => ({ ...row, created_at: (row.created_at as Date).toISOString() })),
      };
    },
  );

  app.post(
    '/api/agent/conversations/:id/messages',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Reply to the customer, or add an internal note',
        params: idParams,
        body: z.strictObject({
          body: messageBodySchema,
          isInternal: z.boolean().default(false),
          clientMessageId: clientMessageIdSchema.optional(),
        }),
        response: { 201: chatMessageSchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const conversation = await getConversationFor(deps.pool, request.params.id, actor);
      const { message } = await postMessage(deps, {
        conversation,
        author: actor,
        body: request.body.body,
        isInternal: request.body.isInternal,
        clientMessageId: request.body.clientMessageId,
      });
      return reply.status(201).send(toMessageView(message));
    },
  );

  app.patch(
    '/api/agent/conversations/:id',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Change status, category, priority or tags',
        params: idParams,
        body: z.strictObject({
          status: conversationStatusSchema.optional(),
          category: conversationCategorySchema.optional(),
          priority: conversationPrioritySchema.optional(),
          tags: z.array(z.string().trim().min(1).max(30)).max(10).optional(),
        }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const updated = await updateConversation(deps, request.params.id, actorOf(request), request.body);
      return { id: updated.id, status: updated.status, category: updated.category, priority: updated.priority, tags: updated.tags };
    },
  );

  app.post(
    '/api/agent/conversations/:id/assign',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Assign to an agent (supervisors), take it yourself (agents), or put it back in the queue (null)',
        params: idParams,
        body: z.strictObject({ agentId: z.uuid().nullable() }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const actor = actorOf(request);
      const conversation = await getConversationFor(deps.pool, request.params.id, actor);
      // Agents may take an unassigned chat or hand back their own; reassigning others is a supervisor's call.
      const isSelfService =
        (request.body.agentId === actor.staffId && conversation.assignee_id === null) ||
        (request.body.agentId === null && conversation.assignee_id === actor.staffId);
      if (actor.role === 'agent' && !isSelfService) throw PlatformError('forbidden');
      const updated = await assignConversation(deps, conversation.id, actor, request.body.agentId);
      return { id: updated.id, assigneeId: updated.assignee_id };
    },
  );

  app.post(
    '/api/agent/conversations/:id/read',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Mark read up to a sequence number',
        params: idParams,
        body: z.strictObject({ seq: z.number().int().min(0) }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const actor = actorOf(request);
      const conversation = await getConversationFor(deps.pool, request.params.id, actor);
      return { seq: await markRead(deps, conversation, actor, request.body.seq) };
    },
  );

  app.get(
    '/api/agent/customers/:id/panel',
    {
      schema: {
        tags: ['agent console'],
        summary: "The customer's wallet beside a conversation (audit-logged)",
        params: idParams,
        querystring: z.strictObject({
          conversationId: z.uuid().optional(),
          highlightType: z.enum(['transaction', 'top_up', 'card']).optional(),
          highlightId: z.uuid().optional(),
        }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const query = request.query;
      if (query.conversationId) {
        const conversation = await getConversationFor(deps.pool, query.conversationId, actorOf(request));
        if (conversation.customer_id !== request.params.id) throw SupportError('conversation_not_found');
      }
      return openCustomerPanel(deps, {
        staffId: staffOf(request).staffId,
        customerId: request.params.id,
        conversationId: query.conversationId ?? null,
        highlight: query.highlightType && query.highlightId ? { type: query.highlightType, id: query.highlightId } : null,
        ip: request.ip,
        locale: request.locale,
      });
    },
  );

  app.post(
    '/api/agent/customers/:id/password-reset',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Email the customer a password-reset link',
        params: idParams,
        response: { 202: acceptedResponseSchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      await requestPasswordResetByStaff(deps, { customerId: request.params.id, staffId: staffOf(request).staffId, ip: request.ip });
      return reply.status(202).send({ ok: true, message: request.locale === 'zh-CN' ? '重设密码邮件已发送' : 'Password-reset email sent' });
    },
  );

  app.put(
    '/api/agent/presence',
    {
      schema: { tags: ['agent console'], summary: 'Set availability: online, away or offline', body: presenceSchema },
      preHandler: staffOnly,
    },
    async (request) => {
      await setPresence(deps, staffOf(request).staffId, request.body.status);
      return { status: request.body.status };
    },
  );

  app.get(
    '/api/agent/canned-responses',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Canned responses, with {{customer.name}} and {{agent.name}} filled for a conversation',
        querystring: z.strictObject({ conversationId: z.uuid().optional(), q: z.string().trim().max(50).optional() }),
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const actor = actorOf(request);
      let customerName = '';
      if (request.query.conversationId) {
        const conversation = await getConversationFor(deps.pool, request.query.conversationId, actor);
        const found = conversation.customer_id
          ? await deps.pool.query<{ display_name: string }>('SELECT display_name FROM customers WHERE id = $1', [conversation.customer_id])
          : undefined;
        customerName = found?.rows[0]?.display_name ?? conversation.contact_name ?? '';
      }
      const rows = await deps.pool.query<{
        id: string;
        shortcut: string;
        title: string;
        body: string;
        locale: string;
        category: string | null;
      }>(
        `SELECT id, shortcut, title, body, locale, category FROM canned_responses
         WHERE ($1::text IS NULL OR shortcut ILIKE $1 || '%' OR title ILIKE '%' || $1 || '%') ORDER BY locale <> $2, shortcut`,
        [request.query.q ?? null, request.locale],
      );
      return {
        responses: rows.rows.map((row) => ({
          ...row,
          body: row.body.replaceAll('{{customer.name}}', customerName).replaceAll('{{agent.name}}', actor.name),
        })),
      };
    },
  );

  app.post(
    '/api/agent/canned-responses',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Add a canned response (supervisors and admins)',
        body: z.strictObject({
          shortcut: z
            .string()
            .trim()
            .min(1)
            .max(30)
            .regex(/^[\w-]+$/),
          title: z.string().trim().min(1).max(60),
          body: z.string().trim().min(1).max(2000),
          locale: z.enum(['zh-CN', 'en']),
          category: conversationCategorySchema.optional(),
        }),
        response: { 201: z.object({ id: z.string() }) },
      },
      preHandler: supervisors,
    },
    async (request, reply) => {
      const inserted = await deps.pool.query(
        'INSERT INTO canned_responses (shortcut, title, body, locale, category, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [
          request.body.shortcut,
          request.body.title,
          request.body.body,
          request.body.locale,
          request.body.category ?? null,
          staffOf(request).staffId,
        ],
      );
      return reply.status(201).send({ id: inserted.rows[0]?.id });
    },
  );

  app.get(
    '/api/agent/agents',
    { schema: { tags: ['agent console'], summary: 'Staff with presence and load, for assignment' }, preHandler: staffOnly },
    async () => ({ agents: await agentsWithLoad() }),
  );

  app.get(
    '/api/agent/supervisor/overview',
    { schema: { tags: ['agent console'], summary: 'Live queue, agents and their load' }, preHandler: supervisors },
    async () => {
      const [agents, queue, agentsOnline, handleSeconds] = await Promise.all([
        agentsWithLoad(),
        waitingQueue(deps.pool),
        onlineAgentCount(deps.pool),
        typicalHandleSeconds(deps.pool),
      ]);
      const waiting = await deps.pool.query(
        `SELECT c.id, c.category, c.waiting_since, c.is_verified, coalesce(cu.display_name, c.contact_name) AS customer_name
         FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id
         WHERE c.id = ANY($1::uuid[]) ORDER BY c.waiting_since`,
        [queue.map((item) => item.id)],
      );
      return {
        queue: waiting.rows.map((row, index) => ({
          id: row.id,
          category: row.category,
          customerName: row.customer_name,
          isVerified: row.is_verified,
          waitingSince: (row.waiting_since as Date).toISOString(),
          position: index + 1,
        })),
        agents,
        agentsOnline,
        typicalHandleSeconds: handleSeconds,
        estimatedWaitForNextSeconds: estimateWait(queue.length + 1, agentsOnline, handleSeconds),
      };
    },
  );

  async function agentsWithLoad() {
    const result = await deps.pool.query(
      `SELECT s.id, s.display_name AS name, s.role, s.chat_capacity AS capacity, coalesce(p.status, 'offline') AS status,
              p.last_active_at, count(c.id)::int AS load
       FROM staff_members s
       LEFT JOIN agent_presence p ON p.staff_id = s.id
       LEFT JOIN conversations c ON c.assignee_id = s.id AND c.channel = 'chat' AND c.status IN ('open', 'pending')
       WHERE s.is_active GROUP BY s.id, p.status, p.last_active_at ORDER BY s.display_name`,
    );
    return result.rows.map((row) => ({ ...row, last_active_at: row.last_active_at ? (row.last_active_at as Date).toISOString() : null }));
  }
}
