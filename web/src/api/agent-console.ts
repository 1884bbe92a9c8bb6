import {
  attachmentLinkSchema,
  type ChatMessage,
  type ConversationCategory,
  type ConversationStatus,
  chatMessageSchema,
  conversationCategorySchema,
  conversationChannelSchema,
  conversationPrioritySchema,
  conversationStatusSchema,
  currencySchema,
  emailMessageViewSchema,
  emailThreadViewSchema,
  freezeReasonSchema,
  linkedObjectSchema,
  moneySchema,
  refundSchema,
  type StartEmailConversation,
  socketTokenSchema,
  staffRoleSchema,
  startedEmailConversationSchema,
  verificationLevelSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { apiRequest } from './client';

// The console's answers have no shared response schemas yet, so the shapes the page relies on are
// checked here; unknown extra fields pass, so the server can add to them freely.

export type InboxView = 'mine' | 'unassigned' | 'all';
export type ConversationChannel = z.infer<typeof conversationChannelSchema>;
export type ConversationPriority = z.infer<typeof conversationPrioritySchema>;
export type PresenceStatus = 'online' | 'away' | 'offline';

const presenceStatusSchema = z.enum(['online', 'away', 'offline']);

export const inboxItemSchema = z.object({
  id: z.string(),
  status: conversationStatusSchema,
  category: conversationCategorySchema,
  channel: conversationChannelSchema,
  priority: conversationPrioritySchema,
  isVerified: z.boolean(),
  isOfflineMessage: z.boolean(),
  customer: z.object({ id: z.string().nullable(), name: z.string().nullable(), email: z.string().nullable() }),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  lastMessage: z.object({ body: z.string(), authorType: z.string(), at: z.string() }).nullable(),
  unread: z.number().int(),
  waitingSince: z.string().nullable(),
  subject: z.string().nullable(),
  reference: z.string().nullable(),
  responseDueAt: z.string().nullable(),
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

export const inboxCountsSchema = z.object({ mine: z.number().int(), unassigned: z.number().int(), mineUnread: z.number().int() });
export type InboxCounts = z.infer<typeof inboxCountsSchema>;

const inboxSchema = z.object({ conversations: z.array(inboxItemSchema), counts: inboxCountsSchema });

export type InboxSort = 'activity' | 'due';

export type InboxFilters = {
  status?: ConversationStatus;
  category?: ConversationCategory;
  channel?: ConversationChannel;
  q?: string;
  /** `due`: the email promise most at risk first. */
  sort?: InboxSort;
};

export function listInbox(view: InboxView, filters: InboxFilters) {
  const query = new URLSearchParams({ view });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return apiRequest(`/api/agent/conversations?${query}`, { schema: inboxSchema });
}

export const conversationEventSchema = z.object({
  type: z.string(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  visitorId: z.string().nullable(),
  isVerified: z.boolean(),
  channel: conversationChannelSchema,
  status: conversationStatusSchema,
  priority: conversationPrioritySchema,
  category: conversationCategorySchema,
  tags: z.array(z.string()),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  locale: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  isOfflineMessage: z.boolean(),
  lastMessageSeq: z.number().int(),
  firstResponseAt: z.string().nullable(),
  waitingSince: z.string().nullable(),
  subject: z.string().nullable(),
  reference: z.string().nullable(),
  responseDueAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Conversation = z.infer<typeof conversationSchema>;

const conversationDetailSchema = z.object({
  conversation: conversationSchema,
  messages: z.array(chatMessageSchema),
  links: z.array(linkedObjectSchema.extend({ id: z.string() })),
  events: z.array(conversationEventSchema),
  email: z.object({ thread: emailThreadViewSchema.nullable(), messages: z.array(emailMessageViewSchema) }),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const getConversation = (id: string) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}`, { schema: conversationDetailSchema });

/** Writes to a customer first: a new email conversation, assigned to the agent. */
export const startEmailConversation = (body: StartEmailConversation) =>
  apiRequest('/api/agent/email/conversations', { method: 'POST', body, schema: startedEmailConversationSchema });

/** Sends a failed or bounced email again. */
export const retryEmail = (emailMessageId: string) =>
  apiRequest(`/api/agent/email/messages/${encodeURIComponent(emailMessageId)}/retry`, {
    method: 'POST',
    schema: z.object({ status: z.literal('queued') }),
  });

/** The HTTP way to reply; the console uses the socket while it is connected. Retrying with the same clientMessageId stores it once. */
export const postConversationMessage = (id: string, body: { body: string; isInternal: boolean; clientMessageId: string }) =>
  apiRequest<ChatMessage>(`/api/agent/conversations/${encodeURIComponent(id)}/messages`, {
    method: 'POST',
    body,
    schema: chatMessageSchema,
  });

export type ConversationChanges = {
  status?: ConversationStatus;
  category?: ConversationCategory;
  priority?: ConversationPriority;
  tags?: string[];
};

export const updateConversation = (id: string, changes: ConversationChanges) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: changes,
    schema: z.object({
      id: z.string(),
      status: conversationStatusSchema,
      category: conversationCategorySchema,
      priority: conversationPrioritySchema,
      tags: z.array(z.string()),
    }),
  });

/** Take it (your own id), hand it back (null), or, for supervisors, give it to someone. */
export const assignConversation = (id: string, agentId: string | null) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}/assign`, {
    method: 'POST',
    body: { agentId },
    schema: z.object({ id: z.string(), assigneeId: z.string().nullable() }),
  });

export const markConversationRead = (id: string, seq: number) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}/read`, {
    method: 'POST',
    body: { seq },
    schema: z.object({ seq: z.number().int() }),
  });

export const customerPanelSchema = z.object({
  profile: z.object({
    id: z.string(),
    displayName: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    locale: z.string(),
    emailVerified: z.boolean(),
    createdAt: z.string(),
  }),
  wallet: z.object({
    verification: z.object({ level: verificationLevelSchema, latestStatus: z.string().nullable(), submittedAt: z.string().nullable() }),
    isFrozen: z.boolean(),
    freezes: z.array(
      z.object({
        id: z.string(),
        reason: freezeReasonSchema,
        since: z.string(),
        note: z.string().nullable(),
        setBy: z.string(),
        rule: z.string().nullable(),
        meaning: z.string(),
      }),
    ),
    balances: z.array(z.object({ currency: currencySchema, amount: z.number().int(), isFrozen: z.boolean() })),
    cards: z.array(
      z.object({
        id: z.string(),
        brand: z.string(),
        last4: z.string(),
        expMonth: z.number().int(),
        expYear: z.number().int(),
        status: z.string(),
        createdAt: z.string(),
      }),
    ),
    transactions: z.array(
      z.object({
        id: z.string(),
        type: z.enum(['top_up', 'transfer_out', 'transfer_in', 'exchange']),
        status: z.enum(['pending', 'succeeded', 'failed']),
        amount: moneySchema,
        counterAmount: moneySchema.nullable(),
        counterparty: z.string().nullable(),
        failureCode: z.string().nullable(),
        failureCodePublic: z.string().nullable(),
        failureMessage: z.string().nullable(),
        refund: refundSchema.nullable(),
        cardLast4: z.string().nullable(),
        topUpId: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  }),
  highlight: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export type CustomerPanel = z.infer<typeof customerPanelSchema>;
export type PanelTransaction = CustomerPanel['wallet']['transactions'][number];

/** The customer's wallet beside a conversation. The server writes every call to the audit log: call it once per conversation. */
export function openCustomerPanel(customerId: string, conversationId: string, highlight?: { type: string; id: string }) {
  const query = new URLSearchParams({ conversationId });
  if (highlight) {
    query.set('highlightType', highlight.type);
    query.set('highlightId', highlight.id);
  }
  return apiRequest(`/api/agent/customers/${encodeURIComponent(customerId)}/panel?${query}`, { schema: customerPanelSchema });
}

export const sendCustomerPasswordReset = (customerId: string) =>
  apiRequest(`/api/agent/customers/${encodeURIComponent(customerId)}/password-reset`, {
    method: 'POST',
    schema: z.object({ ok: z.literal(true), message: z.string() }),
  });

export const setPresence = (status: PresenceStatus) =>
  apiRequest('/api/agent/presence', { method: 'PUT', body: { status }, schema: z.object({ status: presenceStatusSchema }) });

export const cannedResponseSchema = z.object({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  locale: z.string(),
  category: z.string().nullable(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

export function listCannedResponses(conversationId: string, q: string) {
  const query = new URLSearchParams({ conversationId });
  if (q.trim()) query.set('q', q.trim());
  return apiRequest(`/api/agent/canned-responses?${query}`, { schema: z.object({ responses: z.array(cannedResponseSchema) }) });
}

export const staffWithLoadSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: staffRoleSchema,
  capacity: z.number().int(),
  status: presenceStatusSchema,
  last_active_at: z.string().nullable(),
  load: z.number().int(),
});
export type StaffWithLoad = z.infer<typeof staffWithLoadSchema>;

export const listAgents = () => apiRequest('/api/agent/agents', { schema: z.object({ agents: z.array(staffWithLoadSchema) }) });

const supervisorOverviewSchema = z.object({
  queue: z.array(
    z.object({
      id: z.string(),
      category: conversationCategorySchema,
      customerName: z.string().nullable(),
      isVerified: z.boolean(),
      waitingSince: z.string(),
      position: z.number().int(),
    }),
  ),
  agents: z.array(staffWithLoadSchema),
  agentsOnline: z.number().int(),
  typicalHandleSeconds: z.number(),
  estimatedWaitForNextSeconds: z.number(),
});
export type SupervisorOverview = z.infer<typeof supervisorOverviewSchema>;

export const getSupervisorOverview = () => apiRequest('/api/agent/supervisor/overview', { schema: supervisorOverviewSchema });

/** A short-lived token for the console socket, asked for on every (re)connect. */
export const getAgentRealtimeToken = () => apiRequest('/api/agent/realtime-token', { method: 'POST', schema: socketTokenSchema });

export type LinkedObjectRef = ConversationDetail['links'][number];

/** A short-lived signed link to a chat image, for an <img src> (the session cookie never has to ride along). */
export const getAttachmentLink = (attachmentId: string) =>
  apiRequest(`/api/support/attachments/${encodeURIComponent(attachmentId)}/link`, { schema: attachmentLinkSchema, realm: 'staff' });
