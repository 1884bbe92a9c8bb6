import { z } from 'zod';
import { clockTimeSchema } from './hours.js';
import { localeSchema } from './locale.js';
import { customerCallSchema } from './phone.js';
import { chatAttachmentSchema, conversationCategorySchema, conversationChannelSchema, conversationStatusSchema } from './support.js';

// Web Push: the phone app's notifications about support conversations, and the customer's choices.

/** What a notification can be about. Each names a conversation and nothing else. */
export const pushNotificationKinds = ['agent_reply', 'email_reply', 'resolved', 'waiting', 'callback_soon'] as const;
export const pushNotificationKindSchema = z.enum(pushNotificationKinds);
export type PushNotificationKind = z.infer<typeof pushNotificationKindSchema>;

/** GET /api/push/public-key: the VAPID key browsers subscribe with (`applicationServerKey`). */
export const pushPublicKeySchema = z.object({ publicKey: z.string() });

/** base64url without padding, as `PushSubscription.toJSON()` gives it (padding tolerated). */
const base64Url = (length: number, padding: string) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${length}}${padding}$`), { message: 'base64url of the browser’s subscription key' });

/** POST /api/push/subscriptions: the browser's PushSubscription as JSON, plus where and how to speak. */
export const pushSubscribeRequestSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }).max(2048),
  expirationTime: z.number().int().min(0).nullable().optional(),
  keys: z.strictObject({
    /** The browser's P-256 public key, uncompressed (65 bytes). */
    p256dh: base64Url(87, '=?'),
    /** The 16-byte authentication secret. */
    auth: base64Url(22, '(?:==)?'),
  }),
  /** The device's IANA time zone, for quiet hours. */
  timeZone: z.string().min(1).max(64).optional(),
  locale: localeSchema.optional(),
});
export type PushSubscribeRequest = z.infer<typeof pushSubscribeRequestSchema>;

/** DELETE /api/push/subscriptions: this browser's endpoint (the device forgets it on sign-out too). */
export const pushUnsubscribeRequestSchema = z.strictObject({ endpoint: z.url({ protocol: /^https?$/ }).max(2048) });

/** One device that receives notifications, as the devices page lists it. */
export const pushDeviceSchema = z.object({
  id: z.uuid(),
  /** The browser's user agent when it subscribed. */
  userAgent: z.string().nullable(),
  /** Which push service carries it (its host), e.g. fcm.googleapis.com. */
  service: z.string(),
  timeZone: z.string(),
  locale: localeSchema,
  createdAt: z.string(),
  lastSentAt: z.string().nullable(),
  /** Subscribed from the session making this request. */
  isCurrentSession: z.boolean(),
});
export type PushDevice = z.infer<typeof pushDeviceSchema>;
export const pushDeviceListSchema = z.object({ devices: z.array(pushDeviceSchema) });

const minuteOfDay = (time: string) => (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) % 1440;

/** Quiet hours in each device's own time zone: notifications wait until they end. */
export const quietHoursSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((hours) => minuteOfDay(hours.start) !== minuteOfDay(hours.end), { message: 'quiet hours must start and end at different times' });
export type QuietHours = z.infer<typeof quietHoursSchema>;

const pushChoices = {
  agent_reply: z.boolean(),
  email_reply: z.boolean(),
  resolved: z.boolean(),
  waiting: z.boolean(),
  /** A booked callback is about to happen (a few minutes before each attempt). */
  callback_soon: z.boolean(),
};

/**
 * Which notifications the customer wants on their devices, and when not to be disturbed. Read
 * leniently, so that kinds a later release adds do not break an installed app still on this one.
 */
export const notificationPreferencesSchema = z.object({
  push: z.object(pushChoices),
  quietHours: quietHoursSchema.nullable(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/**
 * PUT /api/push/preferences: a kind left out keeps its stored choice, so an app from before that
 * kind existed (an installed one may run an old release until it refreshes) changes nothing it
 * does not show.
 */
export const notificationPreferencesUpdateSchema = z.strictObject({
  push: z.strictObject(pushChoices).partial(),
  quietHours: quietHoursSchema.nullable(),
});
export type NotificationPreferencesUpdate = z.infer<typeof notificationPreferencesUpdateSchema>;

/**
 * What a push message carries (encrypted end to end, RFC 8291). It names the conversation and no
 * amounts, card numbers or message text; the app fetches the rest once opened.
 */
export const pushPayloadSchema = z.object({
  v: z.literal(1),
  kind: pushNotificationKindSchema,
  conversationId: z.uuid(),
  title: z.string(),
  body: z.string(),
  /** The page that opens on a tap: the conversation. */
  url: z.string(),
  /** Notifications about the same conversation replace each other. */
  tag: z.string(),
  lang: localeSchema,
  sentAt: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/** A customer's support conversation in the app's list (GET /api/support/my-conversations). */
export const supportConversationSummarySchema = z.object({
  id: z.uuid(),
  channel: conversationChannelSchema,
  status: conversationStatusSchema,
  category: conversationCategorySchema,
  /** The ticket reference of an email conversation (#K7Q2M9). */
  reference: z.string().nullable(),
  subject: z.string().nullable(),
  agentName: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
  /** The newest message from our side that the customer has not seen in the chat. */
  hasUnreadReply: z.boolean(),
  createdAt: z.string(),
});
export type SupportConversationSummary = z.infer<typeof supportConversationSummarySchema>;
export const supportConversationListSchema = z.object({ conversations: z.array(supportConversationSummarySchema) });

/** One conversation with what both sides wrote (internal notes never). */
export const supportConversationDetailSchema = z.object({
  conversation: supportConversationSummarySchema,
  messages: z.array(
    z.object({
      id: z.uuid(),
      seq: z.number().int(),
      authorType: z.enum(['customer', 'visitor', 'agent', 'system']),
      authorName: z.string().nullable(),
      body: z.string(),
      attachment: chatAttachmentSchema.nullable(),
      createdAt: z.string(),
    }),
  ),
  /** Phone conversations: each call (and the voicemail left on it) without numbers; empty for other channels. */
  calls: z.array(customerCallSchema),
});
export type SupportConversationDetail = z.infer<typeof supportConversationDetailSchema>;
