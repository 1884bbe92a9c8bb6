import { z } from 'zod';
import { messageBodySchema } from './support.js';

/** A file of an email: kept (with its id) or refused, with why. */
export const emailAttachmentSchema = z.object({
  id: z.string().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  refused: z.enum(['too_large', 'type_not_allowed', 'too_many']).nullable(),
});

export const emailDeliveryStatuses = ['received', 'queued', 'sent', 'failed', 'bounced'] as const;

/** The mail side of a message (or an acknowledgement, which has no message): for the agent console. */
export const emailMessageViewSchema = z.object({
  id: z.string(),
  /** The conversation message this mail carried; null for the automatic acknowledgement. */
  messageId: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  kind: z.enum(['message', 'reply', 'acknowledgement']),
  subject: z.string(),
  from: z.string(),
  to: z.string(),
  cc: z.array(z.string()),
  /** Quoted history and signature folded away from the body, masked like it. */
  quoted: z.string().nullable(),
  quotedRedactions: z.record(z.string(), z.number()).nullable(),
  attachments: z.array(emailAttachmentSchema),
  /** Why the mail deserves a second look: sender_mismatch, several_from, no_from, authentication_failed, not_a_participant, unreadable, truncated, nul_removed. */
  flags: z.array(z.string()),
  status: z.enum(emailDeliveryStatuses),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type EmailMessageView = z.infer<typeof emailMessageViewSchema>;

/** Where an email conversation's mail goes, and whether it can arrive there. */
export const emailThreadViewSchema = z.object({
  address: z.string(),
  isUndeliverable: z.boolean(),
  bounceStatus: z.string().nullable(),
  bounceDiagnostic: z.string().nullable(),
});
export type EmailThreadView = z.infer<typeof emailThreadViewSchema>;

export const startEmailConversationSchema = z.strictObject({
  to: z.email().max(254),
  subject: z.string().trim().min(1).max(200),
  body: messageBodySchema,
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type StartEmailConversation = z.infer<typeof startEmailConversationSchema>;

export const startedEmailConversationSchema = z.object({ conversationId: z.string(), reference: z.string() });
export type StartedEmailConversation = z.infer<typeof startedEmailConversationSchema>;

/** A failed or bounced mail is in line to be sent again. */
export const emailQueuedSchema = z.object({ status: z.literal('queued') });

/** The provider's webhook: the raw mail is stored (or was already: the same bytes again). */
export const inboundMailAcceptedSchema = z.object({ id: z.string(), isDuplicate: z.boolean() });
