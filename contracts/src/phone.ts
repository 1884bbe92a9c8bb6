import { z } from 'zod';
import { instantSchema } from './dates.js';
import { conversationCategorySchema } from './support.js';

// The phone channel: calls, their states and their log. One vocabulary for every path a call
// takes (a provider's webhooks, the simulator, later in-app voice).

/** Where a call is: ringing, queued, answered, then one final state. */
export const callStateSchema = z.enum([
  'ringing',
  'queued',
  'answered',
  'completed',
  'abandoned',
  'no-answer',
  'busy',
  'failed',
  'voicemail',
]);
export type CallState = z.infer<typeof callStateSchema>;

/** The states a call ends in; its final state is its disposition. */
export const finalCallStates = [
  'completed',
  'abandoned',
  'no-answer',
  'busy',
  'failed',
  'voicemail',
] as const satisfies readonly CallState[];
export type FinalCallState = (typeof finalCallStates)[number];

/**
 * What can happen to a call: it enters the queue, an agent answers, someone hangs up, the far end
 * does not answer or is busy, the network fails, or the caller leaves a voicemail.
 */
export const callEventSchema = z.enum(['enqueue', 'answer', 'hang-up', 'no-answer', 'busy', 'fail', 'voicemail']);
export type CallEvent = z.infer<typeof callEventSchema>;

export const callDirectionSchema = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof callDirectionSchema>;

/** One entry of a call's log, as the console shows it. */
export const callLogEntrySchema = z.object({
  /** 1, 2, 3… in the order the reports were applied. */
  seq: z.number().int(),
  event: z.string(),
  /** The state before and after; equal when the event changed nothing (a late or repeated report). */
  from: callStateSchema,
  to: callStateSchema,
  /** Why, when known: an in-app call's disposition (`customer_hung_up`, `ice_failed`…) or a ring's fate (`declined`). */
  reason: z.string().nullable(),
  /** The agent it was about: rung, declined, answered, transferred to. */
  staffId: z.uuid().nullable(),
  at: z.iso.datetime({ offset: true }),
});
export type CallLogEntry = z.infer<typeof callLogEntrySchema>;

// ── Recordings ───────────────────────────────────────────────────────────────────────────────

/**
 * Where a recording is: `pending` while a provider's recording is being fetched, `stored` once its
 * bytes are ours, `failed` when fetching gave up, `expired` once the retention policy deleted them.
 */
export const recordingStateSchema = z.enum(['pending', 'stored', 'failed', 'expired']);
export type RecordingState = z.infer<typeof recordingStateSchema>;

/** A call's recording as the console lists it; the bytes are streamed from `url` (staff session, audited). */
export const callRecordingViewSchema = z.object({
  id: z.uuid(),
  /** Recorded in the customer's browser (the widget's voicemail), or by the telephony provider. */
  source: z.enum(['browser', 'provider']),
  state: recordingStateSchema,
  mimeType: z.string().nullable(),
  size: z.number().int().nullable(),
  durationSeconds: z.number().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /** When the retention policy deleted the bytes. */
  expiredAt: z.iso.datetime({ offset: true }).nullable(),
  /** The streaming endpoint while the bytes are stored; null otherwise. */
  url: z.string().nullable(),
});
export type CallRecordingView = z.infer<typeof callRecordingViewSchema>;

/** A call on a phone conversation: who called whom, how long it waited and talked, how it ended. */
export const callViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  /** Who carried it: a telephony provider (`twilio`), or `app` for a call from the widget. */
  provider: z.string(),
  direction: callDirectionSchema,
  /** Masked for lists: +86 138****8000. */
  from: z.string(),
  to: z.string(),
  state: callStateSchema,
  /** The final state once there is one. */
  disposition: z.enum(finalCallStates).nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  /** Seconds in the queue (until answered or ended), null if it never queued. */
  queueSeconds: z.number().int().nullable(),
  /** Seconds talking to an agent, null if never answered. */
  talkSeconds: z.number().int().nullable(),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
  log: z.array(callLogEntrySchema),
  /** A voicemail's recording (browser or provider), oldest first. */
  recordings: z.array(callRecordingViewSchema),
});
export type CallView = z.infer<typeof callViewSchema>;

/** POST /api/agent/calls/:id/numbers: a call's numbers unmasked, for the agent who must dial one (audited). */
export const callNumbersSchema = z.object({ callId: z.uuid(), from: z.string(), to: z.string() });
export type CallNumbers = z.infer<typeof callNumbersSchema>;

// ── Voicemail from the widget ────────────────────────────────────────────────────────────────

/** POST /api/support/voicemails: the phone conversation the recording became, and what the caller is told. */
export const voicemailReceiptSchema = z.object({
  conversationId: z.uuid(),
  callId: z.uuid(),
  recordingId: z.uuid(),
  state: z.literal('voicemail'),
  durationSeconds: z.number().nullable(),
  message: z.string(),
});
export type VoicemailReceipt = z.infer<typeof voicemailReceiptSchema>;

/** A call as its customer sees it in their support history: no numbers, no log. */
export const customerCallSchema = z.object({
  id: z.uuid(),
  direction: callDirectionSchema,
  state: callStateSchema,
  startedAt: z.iso.datetime({ offset: true }),
  talkSeconds: z.number().int().nullable(),
  /** The length of the voicemail the customer left on this call, if any. */
  voicemailSeconds: z.number().nullable(),
});
export type CustomerCall = z.infer<typeof customerCallSchema>;

// ── Callbacks ────────────────────────────────────────────────────────────────────────────────

/** POST /api/support/callbacks: call me on this number at this time. */
export const callbackRequestSchema = z.strictObject({
  /** E.164, e.g. +8613800138000; a mainland mobile has 11 digits starting 13–19. */
  number: z.string().min(1).max(32),
  /** When to call: inside the phone line's hours, from 10 minutes to 14 days ahead. */
  slot: instantSchema,
  category: conversationCategorySchema.optional(),
  /** The customer's zone, so the confirmation names the time as they read it. */
  timeZone: z.string().max(64).optional(),
});
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

export const callbackStateSchema = z.enum(['scheduled', 'queued', 'completed', 'failed']);
export type CallbackState = z.infer<typeof callbackStateSchema>;

export const callbackViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  /** Masked: +86 138****8000. */
  number: z.string(),
  /** When the next attempt is due. */
  dueAt: z.iso.datetime({ offset: true }),
  state: callbackStateSchema,
  attempts: z.number().int(),
  /** In the caller's language: what happens next. */
  message: z.string(),
});
export type CallbackView = z.infer<typeof callbackViewSchema>;

/** A callback as the console lists it beside the calls: the number masked, no customer-facing text. */
export const agentCallbackSchema = callbackViewSchema.omit({ message: true });
export type AgentCallback = z.infer<typeof agentCallbackSchema>;

/** POST /api/agent/callbacks/:id/number: the number to dial, unmasked (audited). */
export const callbackNumberSchema = z.object({ callbackId: z.uuid(), number: z.string() });
export type CallbackNumber = z.infer<typeof callbackNumberSchema>;

/** POST /api/agent/callbacks/:id/attempts: how the agent's call went. */
export const callbackAttemptSchema = z.strictObject({ outcome: z.enum(['reached', 'no-answer', 'busy', 'failed']) });
export type CallbackAttempt = z.infer<typeof callbackAttemptSchema>;

/** GET /api/support/callbacks/slots: the times a callback can be booked, labelled in the reader's zone and language. */
export const callbackSlotsSchema = z.object({
  slots: z.array(z.object({ at: z.iso.datetime({ offset: true }), label: z.string() })),
});
export type CallbackSlots = z.infer<typeof callbackSlotsSchema>;

export const callbackSlotsQuerySchema = z.strictObject({ timeZone: z.string().max(64).optional() });
