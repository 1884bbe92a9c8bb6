import {
  type AgentConversation,
  type AgentWithLoad,
  acceptedResponseSchema,
  agentListSchema,
  assignmentSchema,
  attachmentLinkSchema,
  type ConversationChanges,
  type ConversationLink,
  callbackNumberSchema,
  callNumbersSchema,
  cannedResponseListSchema,
  chatMessageSchema,
  conversationDetailSchema,
  conversationStateSchema,
  customerPanelSchema,
  emailQueuedSchema,
  type InboxQuery,
  type InboxView,
  iceServersSchema,
  inboxSchema,
  type PresenceStatus,
  presenceSchema,
  readReceiptSchema,
  type StartEmailConversation,
  socketTokenSchema,
  startedEmailConversationSchema,
  supervisorOverviewSchema,
} from '@okpay/contracts';
import { apiRequest } from './client';

// The console's calls; every answer is checked against its schema from contracts, the same one the
// server answers with.

export type {
  AgentWithLoad,
  CannedResponse,
  ConversationChanges,
  ConversationChannel,
  ConversationDetail,
  ConversationEvent,
  ConversationPriority,
  CustomerPanel,
  InboxCounts,
  InboxItem,
  InboxView,
  PanelTransaction,
  PresenceStatus,
  SupervisorOverview,
} from '@okpay/contracts';
export type Conversation = AgentConversation;
export type StaffWithLoad = AgentWithLoad;
export type LinkedObjectRef = ConversationLink;

/** How the inbox is ordered: by activity, or `due` with the email promise most at risk first. */
export type InboxSort = InboxQuery['sort'];

/** What the inbox filters by besides the view (the server also takes `before` and `limit`). */
export type InboxFilters = Pick<InboxQuery, 'status' | 'category' | 'channel' | 'q'> & { sort?: InboxSort };

export function listInbox(view: InboxView, filters: InboxFilters) {
  const query = new URLSearchParams({ view });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return apiRequest(`/api/agent/conversations?${query}`, { schema: inboxSchema });
}

export const getConversation = (id: string) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}`, { schema: conversationDetailSchema });

/** Writes to a customer first: a new email conversation, assigned to the agent. */
export const startEmailConversation = (body: StartEmailConversation) =>
  apiRequest('/api/agent/email/conversations', { method: 'POST', body, schema: startedEmailConversationSchema });

/** Sends a failed or bounced email again. */
export const retryEmail = (emailMessageId: string) =>
  apiRequest(`/api/agent/email/messages/${encodeURIComponent(emailMessageId)}/retry`, {
    method: 'POST',
    schema: emailQueuedSchema,
  });

/** The HTTP way to reply; the console uses the socket while it is connected. Retrying with the same clientMessageId stores it once. */
export const postConversationMessage = (id: string, body: { body: string; isInternal: boolean; clientMessageId: string }) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}/messages`, {
    method: 'POST',
    body,
    schema: chatMessageSchema,
  });

export const updateConversation = (id: string, changes: ConversationChanges) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes, schema: conversationStateSchema });

/** Take it (your own id), hand it back (null), or, for supervisors, give it to someone. */
export const assignConversation = (id: string, agentId: string | null) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}/assign`, { method: 'POST', body: { agentId }, schema: assignmentSchema });

export const markConversationRead = (id: string, seq: number) =>
  apiRequest(`/api/agent/conversations/${encodeURIComponent(id)}/read`, { method: 'POST', body: { seq }, schema: readReceiptSchema });

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
  apiRequest(`/api/agent/customers/${encodeURIComponent(customerId)}/password-reset`, { method: 'POST', schema: acceptedResponseSchema });

export const setPresence = (status: PresenceStatus) =>
  apiRequest('/api/agent/presence', { method: 'PUT', body: { status }, schema: presenceSchema });

export function listCannedResponses(conversationId: string, q: string) {
  const query = new URLSearchParams({ conversationId });
  if (q.trim()) query.set('q', q.trim());
  return apiRequest(`/api/agent/canned-responses?${query}`, { schema: cannedResponseListSchema });
}

export const listAgents = () => apiRequest('/api/agent/agents', { schema: agentListSchema });

/** STUN/TURN servers for answering in-app calls, TURN credentials short-lived. */
export const getVoiceIceServers = () => apiRequest('/api/agent/voice/ice-servers', { schema: iceServersSchema });

export const getSupervisorOverview = () => apiRequest('/api/agent/supervisor/overview', { schema: supervisorOverviewSchema });

/** A short-lived token for the console socket, asked for on every (re)connect. */
export const getAgentRealtimeToken = () => apiRequest('/api/agent/realtime-token', { method: 'POST', schema: socketTokenSchema });

/** A short-lived signed link to a chat image, for an <img src> (the session cookie never has to ride along). */
export const getAttachmentLink = (attachmentId: string) =>
  apiRequest(`/api/support/attachments/${encodeURIComponent(attachmentId)}/link`, { schema: attachmentLinkSchema, realm: 'staff' });

/** A call's numbers in full, for dialling back; the server writes each request to the audit log. */
export const revealCallNumbers = (callId: string) =>
  apiRequest(`/api/agent/calls/${encodeURIComponent(callId)}/numbers`, { method: 'POST', schema: callNumbersSchema });

/** The number a callback is to be made to, in full; audited like the call's numbers. */
export const revealCallbackNumber = (callbackId: string) =>
  apiRequest(`/api/agent/callbacks/${encodeURIComponent(callbackId)}/number`, { method: 'POST', schema: callbackNumberSchema });
