import type { Queryable } from '../../../platform/index.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import { canAccess } from '../../conversations/get-conversation.js';
import type { Participant } from '../../conversations/participant.js';
import { isFinal } from '../call-state.js';
import type { CallRow } from '../phone.repository.js';
import { VoiceError } from './voice.errors.js';
import type { VoiceCallRow } from './voice.repository.js';

/** Who acts on a call: its caller, an agent, or the server itself (timeouts, vanished sides). */
export type CallSide =
  | { side: 'customer'; participant: Participant & { kind: 'customer' | 'visitor' } }
  | { side: 'agent'; staffId: string }
  | { side: 'system' };

/**
 * Refuses a side that is not on the call: a caller who does not own its conversation learns
 * nothing about it (not found), an agent must be the one connected. Call ids come from clients, so
 * every use case checks them here under the call's lock.
 */
export async function assertOnCall(tx: Queryable, found: { voice: VoiceCallRow; call: CallRow }, by: CallSide): Promise<void> {
  if (by.side === 'customer') {
    const conversation = await findConversation(tx, found.call.conversationId);
    if (!conversation || !canAccess(conversation, by.participant)) throw VoiceError('voice_call_not_found');
  }
  if (by.side === 'agent' && found.voice.agentId !== by.staffId) throw VoiceError('voice_not_connected');
}

export function isLive(found: { voice: VoiceCallRow; call: CallRow }): boolean {
  return !found.voice.endedAt && !isFinal(found.call.state);
}
