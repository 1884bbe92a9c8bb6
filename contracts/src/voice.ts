import { z } from 'zod';
import { localeSchema } from './locale.js';
import { callStateSchema } from './phone.js';
import { conversationCategorySchema, linkedObjectSchema, queueInfoSchema, type SocketAnswer } from './support.js';

// In-app voice calls: a customer's browser and an agent's console talk over WebRTC, signalled over
// the same Socket.IO connection as chat. The call is a `calls` row (provider `app`) on a phone
// conversation, so it shares the state machine, the call log and the console with telephone calls.

/**
 * Where an in-app call is, beyond its state: waiting in the queue, an agent's console ringing,
 * connected to an agent, being moved to another agent (or back to the queue), or over.
 */
export const voicePhaseSchema = z.enum(['queued', 'ringing', 'connected', 'transferring', 'ended']);
export type VoicePhase = z.infer<typeof voicePhaseSchema>;

/** Why a side ends a call: a hang-up (or leaving for a callback), or what broke on its device. */
export const voiceEndReasonSchema = z.enum([
  'hang_up',
  'callback_requested',
  'microphone_denied',
  'no_microphone',
  'media_failed',
  'ice_failed',
]);
export type VoiceEndReason = z.infer<typeof voiceEndReasonSchema>;

/**
 * Why a call ended, as its log records it: who hung up, what the server ended it for (nobody
 * answered in time, a side was gone past the grace period), or a side's device failure.
 */
export const voiceDispositionReasonSchema = z.enum([
  'customer_hung_up',
  'agent_hung_up',
  'callback_requested',
  'microphone_denied',
  'no_microphone',
  'media_failed',
  'ice_failed',
  'queue_timeout',
  'customer_disconnected',
  'agent_disconnected',
]);
export type VoiceDispositionReason = z.infer<typeof voiceDispositionReasonSchema>;

/** An in-app call as both sides see it (the caller's name for the agent, the agent's for the caller). */
export const voiceCallSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  state: callStateSchema,
  phase: voicePhaseSchema,
  caller: z.object({ name: z.string().nullable(), customerId: z.uuid().nullable(), isVerified: z.boolean() }),
  category: conversationCategorySchema,
  links: z.array(linkedObjectSchema),
  agent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** The agent whose console is ringing, if any (the caller is told only that someone is being reached). */
  ringingAgentId: z.uuid().nullable(),
  /** When the ringing console stops ringing and the call moves on. */
  ringUntil: z.iso.datetime({ offset: true }).nullable(),
  isOnHold: z.boolean(),
  isCustomerMuted: z.boolean(),
  isAgentMuted: z.boolean(),
  /** Place in the voice queue while waiting for an agent. */
  queue: queueInfoSchema.nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  answeredAt: z.iso.datetime({ offset: true }).nullable(),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
  endReason: voiceDispositionReasonSchema.nullable(),
});
export type VoiceCall = z.infer<typeof voiceCallSchema>;

// ---- Payloads the widget and the console send ------------------------------------------------

export const voiceStartSchema = z.strictObject({
  category: conversationCategorySchema.default('other'),
  /** Wallet objects the customer picked, as in chat (visitors cannot link any). */
  links: z.array(linkedObjectSchema).max(5).default([]),
  locale: localeSchema.optional(),
});
export const voiceCallRefSchema = z.strictObject({ callId: z.uuid() });
/** The ringing agent lets the call go: by choice, or because their console has no microphone to answer with. */
export const voiceDeclineSchema = z.strictObject({
  callId: z.uuid(),
  reason: z.enum(['declined', 'microphone_denied', 'no_microphone']).default('declined'),
});
export const voiceRejoinSchema = z.strictObject({
  callId: z.uuid(),
  /** Whether this client still has its media connection (only the signalling dropped): an ICE restart will do. */
  hasMedia: z.boolean().default(false),
});
export const voiceEndSchema = z.strictObject({ callId: z.uuid(), reason: voiceEndReasonSchema.default('hang_up') });
export const voiceMuteSchema = z.strictObject({ callId: z.uuid(), isMuted: z.boolean() });
export const voiceHoldSchema = z.strictObject({ callId: z.uuid(), isOnHold: z.boolean() });
/** To another agent by id, or back to the queue with null. */
export const voiceTransferSchema = z.strictObject({ callId: z.uuid(), agentId: z.uuid().nullable() });

const sessionDescriptionSchema = z.strictObject({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(32_000) });
const iceCandidateSchema = z.strictObject({
  candidate: z.string().max(1_000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
/** One WebRTC signalling message, relayed to the other side of the call: a description or an ICE candidate. */
export const voiceSignalSchema = z
  .strictObject({
    callId: z.uuid(),
    description: sessionDescriptionSchema.optional(),
    candidate: iceCandidateSchema.optional(),
    /** An offer for a new media session (after a transfer or a reload), not a renegotiation of the current one. */
    isNewSession: z.boolean().optional(),
  })
  .refine((signal) => (signal.description === undefined) !== (signal.candidate === undefined), {
    message: 'exactly one of description or candidate',
    path: ['description'],
  });

export type VoiceStartPayload = z.input<typeof voiceStartSchema>;
export type VoiceCallRef = z.input<typeof voiceCallRefSchema>;
export type VoiceDeclinePayload = z.input<typeof voiceDeclineSchema>;
export type VoiceRejoinPayload = z.input<typeof voiceRejoinSchema>;
export type VoiceEndPayload = z.input<typeof voiceEndSchema>;
export type VoiceMutePayload = z.input<typeof voiceMuteSchema>;
export type VoiceHoldPayload = z.input<typeof voiceHoldSchema>;
export type VoiceTransferPayload = z.input<typeof voiceTransferSchema>;
export type VoiceSignalPayload = z.input<typeof voiceSignalSchema>;

// ---- What the server sends ---------------------------------------------------------------------

/** A relayed signalling message, marked with the side it came from. */
export type VoiceSignalEvent = VoiceSignalPayload & { from: 'customer' | 'agent' };
/** To an agent's console: a call is ringing for them (with whom and about what). */
export type VoiceRingingEvent = { call: VoiceCall };
/** To an agent's console: it no longer rings for that call (answered, passed on or ended). */
export type VoiceRingStoppedEvent = { callId: string; reason: 'answered' | 'declined' | 'ring_timeout' | 'ended' };
export type VoiceQueueEvent = { callId: string; queue: z.infer<typeof queueInfoSchema> };
/** The other side should set up media again: an ICE restart on the current session, or a new one. */
export type VoiceRenegotiateEvent = { callId: string; isNewSession: boolean };

type VoiceAck<T> = (answer: SocketAnswer<T>) => void;

export type VoiceClientToServerEvents = {
  /** Customers and visitors: call the support queue. */
  'voice:start': (payload: VoiceStartPayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  /** Either side, after a reconnect (or a reload): take the call back up. */
  'voice:rejoin': (payload: VoiceRejoinPayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  /** Staff: the calls ringing for them or connected to them now (after a reload). */
  'voice:current': (payload: Record<string, never>, ack: VoiceAck<{ calls: VoiceCall[] }>) => void;
  'voice:answer': (payload: VoiceCallRef, ack: VoiceAck<{ call: VoiceCall }>) => void;
  'voice:decline': (payload: VoiceDeclinePayload, ack: VoiceAck<{ ok: true }>) => void;
  'voice:end': (payload: VoiceEndPayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  'voice:mute': (payload: VoiceMutePayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  'voice:hold': (payload: VoiceHoldPayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  'voice:transfer': (payload: VoiceTransferPayload, ack: VoiceAck<{ call: VoiceCall }>) => void;
  'voice:signal': (payload: VoiceSignalPayload, ack?: VoiceAck<{ ok: true }>) => void;
};

export type VoiceServerToClientEvents = {
  /** The call as it now stands, to both sides. */
  'voice:call': (call: VoiceCall) => void;
  'voice:ringing': (event: VoiceRingingEvent) => void;
  'voice:ring-stopped': (event: VoiceRingStoppedEvent) => void;
  'voice:queue': (event: VoiceQueueEvent) => void;
  'voice:signal': (event: VoiceSignalEvent) => void;
  'voice:renegotiate': (event: VoiceRenegotiateEvent) => void;
};

// ---- STUN/TURN -----------------------------------------------------------------------------

/** GET …/voice/ice-servers: what RTCPeerConnection needs to find a path, TURN credentials short-lived. */
export const iceServersSchema = z.object({
  iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
  /** When time-limited TURN credentials stop working; null when there are none. */
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
});
export type IceServers = z.infer<typeof iceServersSchema>;
