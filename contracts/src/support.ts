import { z } from 'zod';

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
  locale: z.enum(['zh-CN', 'en']).optional(),
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
export const presenceSchema = z.strictObject({ status: z.enum(['online', 'away', 'offline']) });

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
});

export const socketTokenSchema = z.object({ token: z.string(), expiresAt: z.string() });

/** A transcript went out (`sent`), or a visitor must first type back the code mailed to the address. */
export const transcriptAnswerSchema = z.object({
  ok: z.literal(true),
  status: z.enum(['sent', 'verification_required']),
  message: z.string(),
});
export const transcriptRequestSchema = z.strictObject({ email: z.email().max(254).optional() });
export const transcriptCodeSchema = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
