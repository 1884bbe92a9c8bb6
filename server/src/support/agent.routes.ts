import {
  acceptedResponseSchema,
  agentListSchema,
  agentMessageRequestSchema,
  assignmentRequestSchema,
  assignmentSchema,
  cannedResponseListSchema,
  cannedResponseQuerySchema,
  chatMessageSchema,
  conversationChangesRequestSchema,
  conversationDetailSchema,
  conversationStateSchema,
  createdSchema,
  customerPanelSchema,
  inboxQuerySchema,
  inboxSchema,
  newCannedResponseSchema,
  panelQuerySchema,
  presenceSchema,
  readReceiptSchema,
  readRequestSchema,
  socketTokenSchema,
  supervisorOverviewSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import {
  identityMessage,
  publicSessionId,
  requestPasswordResetByStaff,
  requireStaff,
  signRealtimeToken,
  staffOf,
} from '../identity/index.js';
import type { App } from '../platform/index.js';
import { createCannedResponse } from './agent-console/create-canned-response.js';
import { openCustomerPanel } from './agent-console/customer-panel.js';
import { getConversationDetail } from './agent-console/get-conversation-detail.js';
import { getSupervisorOverview } from './agent-console/get-supervisor-overview.js';
import { listCannedResponses } from './agent-console/list-canned-responses.js';
import { listInbox } from './agent-console/list-inbox.js';
import { replyToConversation } from './agent-console/reply-to-conversation.js';
import { assignConversation } from './conversations/assign-conversation.js';
import { markRead } from './conversations/mark-read.js';
import { staffParticipant } from './conversations/participant.js';
import { updateConversation } from './conversations/update-conversation.js';
import { listAgents } from './routing/list-agents.js';
import { setPresence } from './routing/presence.js';
import type { SupportDeps } from './support-deps.js';

const idParams = z.object({ id: z.uuid() });

/** The agent console's API: inbox, conversation, customer panel, presence and the supervisor view. */
export async function registerAgentConsoleRoutes(app: App, deps: SupportDeps) {
  const staffOnly = requireStaff(deps);
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);
  const actorOf = (request: Parameters<typeof staffOf>[0]) => staffParticipant(staffOf(request));
  const tags = ['agent console'];

  app.post(
    '/api/agent/realtime-token',
    {
      schema: { tags, summary: 'A short-lived token for the console socket', response: { 200: socketTokenSchema } },
      preHandler: staffOnly,
    },
    async (request) => {
      const staff = staffOf(request);
      const { token, expiresAt } = signRealtimeToken(
        deps.config.sessionSecret,
        { kind: 'staff', staffId: staff.staffId, sessionId: publicSessionId(staff.session.id) },
        deps.clock.now(),
      );
      return { token, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/api/agent/conversations',
    {
      schema: {
        tags,
        summary: 'Inbox: mine, unassigned or all, with filters and search',
        querystring: inboxQuerySchema,
        response: { 200: inboxSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => listInbox(deps, staffOf(request).staffId, request.query),
  );

  app.get(
    '/api/agent/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation with messages, internal notes, links and timeline',
        params: idParams,
        response: { 200: conversationDetailSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => getConversationDetail(deps, request.params.id, actorOf(request)),
  );

  app.post(
    '/api/agent/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Reply to the customer, or add an internal note',
        params: idParams,
        body: agentMessageRequestSchema,
        response: { 201: chatMessageSchema },
      },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const message = await replyToConversation(deps, { conversationId: request.params.id, actor: actorOf(request), ...request.body });
      return reply.status(201).send(message);
    },
  );

  app.patch(
    '/api/agent/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Change status, category, priority or tags',
        params: idParams,
        body: conversationChangesRequestSchema,
        response: { 200: conversationStateSchema },
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
        tags,
        summary: 'Assign to an agent (supervisors), take it yourself (agents), or put it back in the queue (null)',
        params: idParams,
        body: assignmentRequestSchema,
        response: { 200: assignmentSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const updated = await assignConversation(deps, request.params.id, actorOf(request), request.body.agentId);
      return { id: updated.id, assigneeId: updated.assigneeId };
    },
  );

  app.post(
    '/api/agent/conversations/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark read up to a sequence number',
        params: idParams,
        body: readRequestSchema,
        response: { 200: readReceiptSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => ({
      seq: await markRead(deps, { conversationId: request.params.id, participant: actorOf(request), seq: request.body.seq }),
    }),
  );

  app.get(
    '/api/agent/customers/:id/panel',
    {
      schema: {
        tags,
        summary: "The customer's wallet beside a conversation (audit-logged)",
        params: idParams,
        querystring: panelQuerySchema,
        response: { 200: customerPanelSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => {
      const { conversationId, highlightType, highlightId } = request.query;
      return openCustomerPanel(deps, {
        actor: actorOf(request),
        customerId: request.params.id,
        conversationId: conversationId ?? null,
        highlight: highlightType && highlightId ? { type: highlightType, id: highlightId } : null,
        ip: request.ip,
        locale: request.locale,
      });
    },
  );

  app.post(
    '/api/agent/customers/:id/password-reset',
    {
      schema: { tags, summary: 'Email the customer a password-reset link', params: idParams, response: { 202: acceptedResponseSchema } },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      await requestPasswordResetByStaff(deps, { customerId: request.params.id, staffId: staffOf(request).staffId, ip: request.ip });
      return reply.status(202).send({ ok: true, message: identityMessage('password_reset_sent_by_staff', request.locale) });
    },
  );

  app.put(
    '/api/agent/presence',
    {
      schema: { tags, summary: 'Set availability: online, away or offline', body: presenceSchema, response: { 200: presenceSchema } },
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
        tags,
        summary: 'Canned responses, with {{customer.name}} and {{agent.name}} filled for a conversation',
        querystring: cannedResponseQuerySchema,
        response: { 200: cannedResponseListSchema },
      },
      preHandler: staffOnly,
    },
    async (request) => ({
      responses: await listCannedResponses(deps.db, { actor: actorOf(request), ...request.query, locale: request.locale }),
    }),
  );

  app.post(
    '/api/agent/canned-responses',
    {
      schema: {
        tags,
        summary: 'Add a canned response (supervisors and admins)',
        body: newCannedResponseSchema,
        response: { 201: createdSchema },
      },
      preHandler: supervisors,
    },
    async (request, reply) =>
      reply.status(201).send(await createCannedResponse(deps.db, { ...request.body, staffId: staffOf(request).staffId })),
  );

  app.get(
    '/api/agent/agents',
    {
      schema: { tags, summary: 'Staff with presence and load, for assignment', response: { 200: agentListSchema } },
      preHandler: staffOnly,
    },
    async () => ({ agents: await listAgents(deps.db) }),
  );

  app.get(
    '/api/agent/supervisor/overview',
    {
      schema: { tags, summary: 'Live queue, agents and their load', response: { 200: supervisorOverviewSchema } },
      preHandler: supervisors,
    },
    async () => getSupervisorOverview(deps.db),
  );
}
