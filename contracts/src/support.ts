import { z } from 'zod';
import { topUpFailureSchema } from './cards.js';
import type { ErrorBody } from './errors.js';
import { localeSchema } from './locale.js';
import { moneySchema } from './money.js';
import type { SlaAlertsEvent, SlaChangedEvent } from './sla.js';
import type { VoiceClientToServerEvents, VoiceServerToClientEvents } from './voice.js';
import { transactionStatuses, transactionTypes } from './wallet.js';

export const conversationCategories = ['account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other'] as const;
export const conversationCategorySchema = z.enum(conversationCategories);
export type ConversationCategory = z.infer<typeof conversationCategorySchema>;

export const conversationStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export const conversationStatusSchema = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

export const conversationChannelSchema = z.enum(['chat', 'email', 'phone']);
export const conversationPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

export const linkedObjectSchema = z.strictObject({
  type: z.enum(['transaction', 'top_up', 'card']),
  id: z.uuid(),
});
export type LinkedObject = z.infer<typeof linkedObjectSchema>;

export const messageBodySchema = z.string().trim().min(1).max(4000);
export const clientMessageIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[\w-]+$/);

export const chatAttachmentSchema = z.object({ id: z.string(), fileName: z.string(), mimeType: z.string(), size: z.number() });

/** A short-lived signed link to a chat image (relative to the OKPay origin), for an <img src>. */
export const attachmentLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type AttachmentLink = z.infer<typeof attachmentLinkSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  authorType: z.enum(['customer', 'visitor', 'agent', 'system']),
  authorName: z.string().nullable(),
  body: z.string(),
  isInternal: z.boolean(),
  redactions: z.record(z.string(), z.number()).nullable(),
  attachment: chatAttachmentSchema.nullable(),
  clientMessageId: z.string().nullable(),
  createdAt: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const queueInfoSchema = z.object({
  position: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
  agentsOnline: z.number().int(),
});
export type QueueInfo = z.infer<typeof queueInfoSchema>;

export const customerConversationSchema = z.object({
  id: z.string(),
  status: conversationStatusSchema,
  category: conversationCategorySchema,
  channel: conversationChannelSchema,
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  queue: queueInfoSchema.nullable(),
  lastMessageSeq: z.number().int(),
  /** How far the agent side has read, for read receipts. */
  agentReadSeq: z.number().int(),
  links: z.array(linkedObjectSchema),
  isOfflineMessage: z.boolean(),
  createdAt: z.string(),
});
export type CustomerConversation = z.infer<typeof customerConversationSchema>;

/** Payloads the widget sends over the socket. */
export const startConversationSchema = z.strictObject({
  category: conversationCategorySchema,
  links: z.array(linkedObjectSchema).max(5).default([]),
  message: messageBodySchema.optional(),
  clientMessageId: clientMessageIdSchema.optional(),
  locale: localeSchema.optional(),
});
export const resumeConversationSchema = z.strictObject({ conversationId: z.uuid(), afterSeq: z.number().int().min(0).default(0) });
export const sendMessageSchema = z.strictObject({
  conversationId: z.uuid(),
  body: z.string().trim().max(4000).default(''),
  clientMessageId: clientMessageIdSchema,
  attachmentId: z.uuid().optional(),
  isInternal: z.boolean().optional(),
});
export const typingSchema = z.strictObject({ conversationId: z.uuid(), isTyping: z.boolean() });
export const readSchema = z.strictObject({ conversationId: z.uuid(), seq: z.number().int().min(0) });
export const presenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;
export const presenceSchema = z.strictObject({ status: presenceStatusSchema });

export const offlineMessageSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(60).optional(),
  category: conversationCategorySchema.default('other'),
  message: messageBodySchema,
  locale: z.enum(['zh-CN', 'en']).optional(),
  /** The writer's IANA zone, so the answer says when a reply can be expected in their time. */
  timeZone: z.string().max(64).optional(),
});

/** What customers are told about email support (help pages, the widget). */
export const emailSupportInfoSchema = z.object({
  address: z.string(),
  replyWithinHours: z.number().int(),
  complexCaseBusinessDays: z.object({ from: z.number().int(), to: z.number().int() }),
});

export const supportStatusSchema = z.object({
  isAvailable: z.boolean(),
  agentsOnline: z.number().int(),
  /** Agents online with a free chat slot: zero while everyone online is busy. */
  freeAgents: z.number().int(),
  queueLength: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
  /** Email support, for when chat is not the way: the address and the promise. */
  email: emailSupportInfoSchema,
  /** Voicemail from the widget: how long a message may be and how large its file. */
  voicemail: z.object({ maxSeconds: z.number().int(), maxBytes: z.number().int() }),
});

export const socketTokenSchema = z.object({ token: z.string(), expiresAt: z.string() });

/** A transcript went out (`sent`), or a visitor must first type back the code mailed to the address. */
export const transcriptAnswerSchema = z.object({
  ok: z.literal(true),
  status: z.enum(['sent', 'verification_required']),
  message: z.string(),
});
export type TranscriptAnswer = z.infer<typeof transcriptAnswerSchema>;
export const transcriptRequestSchema = z.strictObject({ email: z.email().max(254).optional() });
export const transcriptCodeSchema = z.strictObject({ code: z.string().regex(/^\d{6}$/) });

export type SocketToken = z.infer<typeof socketTokenSchema>;

// ---- The widget's HTTP calls -------------------------------------------------------------------

export const visitorTokenRequestSchema = z.strictObject({ token: z.string().max(1000).optional() }).optional();
export const visitorTokenSchema = socketTokenSchema.extend({ visitorId: z.string() });
export type VisitorToken = z.infer<typeof visitorTokenSchema>;
export type SupportStatus = z.infer<typeof supportStatusSchema>;

/** The wallet picker a signed-in customer sees before a chat: failed top-ups first, with the reason they were shown. */
export const supportPickerItemSchema = z.object({
  transactionId: z.string(),
  topUpId: z.string().nullable(),
  type: z.enum(transactionTypes),
  status: z.enum(transactionStatuses),
  amount: moneySchema,
  cardLast4: z.string().nullable(),
  counterparty: z.string().nullable(),
  failure: topUpFailureSchema.nullable(),
  createdAt: z.string(),
});
export type SupportPickerItem = z.infer<typeof supportPickerItemSchema>;
export const supportPickerSchema = z.object({ items: z.array(supportPickerItemSchema) });

export const customerConversationListSchema = z.object({ conversations: z.array(customerConversationSchema) });

/** An offline message became an email conversation: its ticket reference, and what the writer is told. */
export const offlineMessageReceiptSchema = z.object({
  conversationId: z.string(),
  reference: z.string(),
  message: z.string(),
  /** When a reply is due under the email SLA policy (the same clock the agents count down); null if none applies. */
  expectedReplyAt: z.string().nullable(),
});
export type OfflineMessageReceipt = z.infer<typeof offlineMessageReceiptSchema>;

export type ChatAttachment = z.infer<typeof chatAttachmentSchema>;

// ---- Realtime: the Socket.IO event map shared by server, console and widget ------------------

export type StartConversationPayload = z.input<typeof startConversationSchema>;
export type ResumeConversationPayload = z.input<typeof resumeConversationSchema>;
export type SendMessagePayload = z.input<typeof sendMessageSchema>;
export type TypingPayload = z.input<typeof typingSchema>;
export type ReadPayload = z.input<typeof readSchema>;
export type PresencePayload = z.input<typeof presenceSchema>;

/** Every acknowledgement is the answer, or the error body an HTTP call would have carried. */
export type SocketAnswer<T> = T | ErrorBody;

/** The widget's view of a conversation it started or resumed, with the messages after its last one. */
export type OpenedConversation = { conversation: CustomerConversation; messages: ChatMessage[] };
/** What staff get when they open a conversation: its state and the messages after the given one. */
export type OpenedStaffConversation = { conversation: { id: string; status: ConversationStatus }; messages: ChatMessage[] };

/** Events clients send. Customers and visitors start and resume; staff open and set presence; both sides of a voice call signal. */
export type ClientToServerEvents = VoiceClientToServerEvents & {
  'conversation:start': (payload: StartConversationPayload, ack: (answer: SocketAnswer<OpenedConversation>) => void) => void;
  'conversation:resume': (payload: ResumeConversationPayload, ack: (answer: SocketAnswer<OpenedConversation>) => void) => void;
  'conversation:open': (payload: ResumeConversationPayload, ack: (answer: SocketAnswer<OpenedStaffConversation>) => void) => void;
  'conversation:leave': (payload: { conversationId: string }, ack: (answer: SocketAnswer<{ ok: true }>) => void) => void;
  'message:send': (payload: SendMessagePayload, ack: (answer: SocketAnswer<{ message: ChatMessage }>) => void) => void;
  /** Best effort: sent volatile, and the answer may be left unasked for. */
  typing: (payload: TypingPayload, ack?: (answer: SocketAnswer<{ ok: true }>) => void) => void;
  read: (payload: ReadPayload, ack?: (answer: SocketAnswer<{ seq: number }>) => void) => void;
  'presence:set': (payload: PresencePayload, ack: (answer: SocketAnswer<{ status: PresenceStatus }>) => void) => void;
};

export const conversationUpdatedEventSchema = z.object({
  conversationId: z.string(),
  /** What happened: created, assigned, unassigned, updated, status_changed, linked. */
  change: z.string(),
  status: conversationStatusSchema,
  category: conversationCategorySchema,
  priority: conversationPrioritySchema,
  assigneeId: z.string().nullable(),
  /** The agent who has it now, when that changed. */
  agent: z.object({ id: z.string(), name: z.string() }).optional(),
  /** Whether it is waiting in the queue. */
  waiting: z.boolean(),
});
export type ConversationUpdatedEvent = z.infer<typeof conversationUpdatedEventSchema>;
export type QueueEvent = { conversationId: string; queue: QueueInfo };
export type QueueChangedEvent = { length: number };
export type ReadReceiptEvent = { conversationId: string; readerType: string; seq: number };
export type TypingEvent = { conversationId: string; isTyping: boolean; from: 'agent' | 'customer'; name: string | null };
export type PresenceEvent = { staffId: string; status: PresenceStatus };
/**
 * Live messages may have been lost (the database or the other nodes were out of reach): catch up
 * by sequence number. `notifications_lost`, or `delivered_alone` when a node that thought itself
 * alone hears another one again.
 */
export type ResyncEvent = { reason: 'notifications_lost' | 'delivered_alone' };

/** Events the server sends, each once per change, to the rooms allowed to see it. */
export type ServerToClientEvents = VoiceServerToClientEvents & {
  message: (message: ChatMessage) => void;
  'conversation:updated': (event: ConversationUpdatedEvent) => void;
  queue: (event: QueueEvent) => void;
  'queue:changed': (event: QueueChangedEvent) => void;
  read: (event: ReadReceiptEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** A conversation's SLA clocks as they now stand (staff). */
  'sla:changed': (event: SlaChangedEvent) => void;
  /** Targets past their warning share or breached (to the assignee, or every agent while unassigned, and supervisors). */
  'sla:alerts': (event: SlaAlertsEvent) => void;
  resync: (event: ResyncEvent) => void;
};

/**
 * Who the widget speaks for, for what it shows before any message: the zone its times are in and,
 * for a signed-in customer, the verified email address the leave-a-message form starts with.
 */
export const widgetProfileSchema = z.object({
  kind: z.enum(['customer', 'visitor']),
  name: z.string().nullable(),
  /** Only ever an address the customer proved is theirs; null for visitors and unverified ones. */
  verifiedEmail: z.string().nullable(),
  timeZone: z.string(),
});
export type WidgetProfile = z.infer<typeof widgetProfileSchema>;
