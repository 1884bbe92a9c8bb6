import {
  type QueueInfo,
  type VoiceCall,
  type VoiceDispositionReason,
  type VoicePhase,
  voiceDispositionReasonSchema,
} from '@okpay/contracts';
import { isFinal } from '../call-state.js';
import type { VoiceCallRecord } from './voice.repository.js';

/** Where the call is for the people on it: over, with an agent, being moved, or waiting (rung or not). */
export function voicePhaseOf(record: Pick<VoiceCallRecord, 'voice' | 'call'>): VoicePhase {
  const { voice, call } = record;
  if (isFinal(call.state) || voice.endedAt) return 'ended';
  if (voice.agentId) return 'connected';
  if (call.state === 'answered') return 'transferring';
  return voice.ringingAgentId ? 'ringing' : 'queued';
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toVoiceCall(record: VoiceCallRecord, queue: QueueInfo | null): VoiceCall {
  const { voice, call, conversation } = record;
  const reason = voiceDispositionReasonSchema.safeParse(voice.endReason);
  return {
    id: call.id,
    conversationId: call.conversationId,
    state: call.state,
    phase: voicePhaseOf(record),
    caller: { name: conversation.contactName, customerId: conversation.customerId, isVerified: conversation.isVerified },
    category: conversation.category,
    links: record.links,
    agent: voice.agentId && record.agentName ? { id: voice.agentId, name: record.agentName } : null,
    ringingAgentId: voice.ringingAgentId,
    ringUntil: iso(voice.ringUntil),
    isOnHold: voice.isOnHold,
    isCustomerMuted: voice.isCustomerMuted,
    isAgentMuted: voice.isAgentMuted,
    queue: voice.waitingSince && !voice.endedAt ? queue : null,
    startedAt: call.startedAt.toISOString(),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt ?? voice.endedAt),
    endReason: reason.success ? (reason.data as VoiceDispositionReason) : null,
  };
}
