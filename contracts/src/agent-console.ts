import { z } from 'zod';
import { cardBrandSchema } from './cards.js';
import { freezeReasonSchema, verificationLevelSchema, verificationStatusSchema } from './compliance.js';
import { instantSchema } from './dates.js';
import { customerSchema, staffRoleSchema } from './identity.js';
import { currencySchema } from './money.js';
import { agentCallbackSchema, callViewSchema } from './phone.js';
import { agentRatingSchema, agentSurveySchema } from './ratings.js';
import { slaClockSchema } from './sla.js';
import {
  chatMessageSchema,
  clientMessageIdSchema,
  conversationCategorySchema,
  conversationChannelSchema,
  conversationPrioritySchema,
  conversationStatusSchema,
  messageBodySchema,
  presenceStatusSchema,
} from './support.js';
import { emailMessageViewSchema, emailThreadViewSchema } from './support-email.js';
import { walletTransactionSchema } from './wallet.js';

// What the staff console asks of /api/agent/… and what it is answered.

export type ConversationChannel = z.infer<typeof conversationChannelSchema>;
export type ConversationPriority = z.infer<typeof conversationPrioritySchema>;

// ---- Inbox -------------------------------------------------------------------------------------

export const inboxViews = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof inboxViews)[number];

export const inboxQuerySchema = z.strictObject({
  view: z.enum(inboxViews).default('mine'),
  status: conversationStatusSchema.optional(),
  category: conversationCategorySchema.optional(),
  channel: conversationChannelSchema.optional(),
  /** Customer email, phone or name, or words of a message. */
  q: z.string().trim().min(1).max(100).optional(),
  /** `due`: breached SLAs first, then past the warning share, then by the next due time; then by activity. */
  sort: z.enum(['activity', 'due']).default('activity'),
  /** Only conversations last active before this instant (the next page). */
  before: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

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
  /** Customer messages after this agent's last read. */
  unread: z.number().int(),
  waitingSince: z.string().nullable(),
  /** Email: the decoded subject and the ticket reference customers quote. */
  subject: z.string().nullable(),
  reference: z.string().nullable(),
  /** When our next reply is due (the running reply clock), while one is owed. */
  responseDueAt: z.string().nullable(),
  /** The SLA clock the list counts down: the running one due first (else a paused one). */
  sla: slaClockSchema.nullable(),
  /** Last activity: a message or a change of state, whichever came later. */
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

export const inboxCountsSchema = z.object({ mine: z.number().int(), unassigned: z.number().int(), mineUnread: z.number().int() });
export type InboxCounts = z.infer<typeof inboxCountsSchema>;

export const inboxSchema = z.object({ conversations: z.array(inboxItemSchema), counts: inboxCountsSchema });
export type Inbox = z.infer<typeof inboxSchema>;

// ---- One conversation --------------------------------------------------------------------------

/** One entry of the timeline: who did what, when (response times are computed from these). */
export const conversationEventSchema = z.object({
  type: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const agentConversationSchema = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  visitorId: z.string().nullable(),
  isVerified: z.boolean(),
  channel: conversationChannelSchema,
  status: conversationStatusSchema,
  priority: conversationPrioritySchema,
  category: conversationCategorySchema,
  tags: z.array(z.string()),
  customerName: z.string().nullable(),
  customerEmail: z.string().nullable(),
  /** How far the customer has read, for read receipts on the agent's side. */
  customerReadSeq: z.number().int(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  locale: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  isOfflineMessage: z.boolean(),
  lastMessageSeq: z.number().int(),
  firstResponseAt: z.string().nullable(),
  waitingSince: z.string().nullable(),
  /** Email: the decoded subject and the ticket reference customers quote. */
  subject: z.string().nullable(),
  reference: z.string().nullable(),
  /** When our next reply is due (the running reply clock), while one is owed. */
  responseDueAt: z.string().nullable(),
  createdAt: z.string(),
  /** The SLA clocks (first reply, next reply, resolution) as they stand now. */
  sla: z.array(slaClockSchema),
});
export type AgentConversation = z.infer<typeof agentConversationSchema>;

export const conversationLinkSchema = z.object({ type: z.enum(['transaction', 'top_up', 'card']), id: z.string() });
export type ConversationLink = z.infer<typeof conversationLinkSchema>;

export const conversationDetailSchema = z.object({
  conversation: agentConversationSchema,
  messages: z.array(chatMessageSchema),
  links: z.array(conversationLinkSchema),
  events: z.array(conversationEventSchema),
  /** Email conversations: where mail goes, and the mail side of each message (quoted history, files, delivery). */
  email: z.object({ thread: emailThreadViewSchema.nullable(), messages: z.array(emailMessageViewSchema) }),
  /** The customer's rating (and whether a supervisor should follow it up), and the survey's state. */
  rating: agentRatingSchema.nullable(),
  survey: agentSurveySchema.nullable(),
  /** Phone conversations: each call with its log (empty for other channels). */
  calls: z.array(callViewSchema),
  /** Phone conversations: callbacks the customer booked, numbers masked (empty for other channels). */
  callbacks: z.array(agentCallbackSchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const agentMessageRequestSchema = z.strictObject({
  body: messageBodySchema,
  isInternal: z.boolean().default(false),
  clientMessageId: clientMessageIdSchema.optional(),
});

export const conversationChangesRequestSchema = z.strictObject({
  status: conversationStatusSchema.optional(),
  category: conversationCategorySchema.optional(),
  priority: conversationPrioritySchema.optional(),
  tags: z.array(z.string().trim().min(1).max(30)).max(10).optional(),
});
export type ConversationChanges = z.infer<typeof conversationChangesRequestSchema>;

export const conversationStateSchema = z.object({
  id: z.string(),
  status: conversationStatusSchema,
  category: conversationCategorySchema,
  priority: conversationPrioritySchema,
  tags: z.array(z.string()),
});

/** Take it (your own id), hand it back (null), or, for supervisors, give it to someone. */
export const assignmentRequestSchema = z.strictObject({ agentId: z.uuid().nullable() });
export const assignmentSchema = z.object({ id: z.string(), assigneeId: z.string().nullable() });

export const readRequestSchema = z.strictObject({ seq: z.number().int().min(0) });
export const readReceiptSchema = z.object({ seq: z.number().int() });

// ---- The customer panel ------------------------------------------------------------------------

export const panelQuerySchema = z.strictObject({
  conversationId: z.uuid().optional(),
  highlightType: z.enum(['transaction', 'top_up', 'card']).optional(),
  highlightId: z.uuid().optional(),
});

/** The wallet as an agent may read it beside a conversation: real failure codes, cards by last four only. */
export const customerWalletSummarySchema = z.object({
  verification: z.object({
    level: verificationLevelSchema,
    latestStatus: verificationStatusSchema.nullable(),
    submittedAt: z.string().nullable(),
  }),
  isFrozen: z.boolean(),
  freezes: z.array(
    z.object({
      id: z.string(),
      reason: freezeReasonSchema,
      since: z.string(),
      note: z.string().nullable(),
      setBy: z.enum(['staff', 'system', 'customer']),
      rule: z.string().nullable(),
      meaning: z.string(),
    }),
  ),
  balances: z.array(z.object({ currency: currencySchema, amount: z.number().int(), isFrozen: z.boolean() })),
  cards: z.array(
    z.object({
      id: z.string(),
      brand: cardBrandSchema,
      last4: z.string(),
      expMonth: z.number().int(),
      expYear: z.number().int(),
      status: z.enum(['active', 'removed']),
      createdAt: z.string(),
    }),
  ),
  transactions: z.array(
    walletTransactionSchema
      .pick({
        id: true,
        type: true,
        status: true,
        amount: true,
        counterAmount: true,
        counterparty: true,
        refund: true,
        cardLast4: true,
        topUpId: true,
        createdAt: true,
      })
      .extend({
        /** The real reason (agents see risk codes such as lost_card); the customer saw the public one. */
        failureCode: z.string().nullable(),
        failureCodePublic: z.string().nullable(),
        failureMessage: z.string().nullable(),
      }),
  ),
});
export type CustomerWalletSummary = z.infer<typeof customerWalletSummarySchema>;

export const customerPanelSchema = z.object({
  profile: customerSchema,
  wallet: customerWalletSummarySchema,
  highlight: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export type CustomerPanel = z.infer<typeof customerPanelSchema>;
export type PanelTransaction = CustomerPanel['wallet']['transactions'][number];

// ---- Canned responses --------------------------------------------------------------------------

export const cannedResponseQuerySchema = z.strictObject({ conversationId: z.uuid().optional(), q: z.string().trim().max(50).optional() });

export const cannedResponseSchema = z.object({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  /** With {{customer.name}} and {{agent.name}} filled in for the conversation asked about. */
  body: z.string(),
  locale: z.string(),
  category: z.string().nullable(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;
export const cannedResponseListSchema = z.object({ responses: z.array(cannedResponseSchema) });

export const newCannedResponseSchema = z.strictObject({
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
});
export type NewCannedResponse = z.infer<typeof newCannedResponseSchema>;
export const createdSchema = z.object({ id: z.string() });

// ---- Staff and the supervisor's view -----------------------------------------------------------

export const agentWithLoadSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: staffRoleSchema,
  capacity: z.number().int(),
  status: presenceStatusSchema,
  lastActiveAt: z.string().nullable(),
  /** Open and pending chats assigned now. */
  load: z.number().int(),
});
export type AgentWithLoad = z.infer<typeof agentWithLoadSchema>;
export const agentListSchema = z.object({ agents: z.array(agentWithLoadSchema) });

export const supervisorOverviewSchema = z.object({
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
  agents: z.array(agentWithLoadSchema),
  agentsOnline: z.number().int(),
  typicalHandleSeconds: z.number(),
  estimatedWaitForNextSeconds: z.number(),
});
export type SupervisorOverview = z.infer<typeof supervisorOverviewSchema>;
