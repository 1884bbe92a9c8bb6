import type { VoiceCall } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import { findConversationForUpdate, setConversationAssignee } from '../../conversations/conversations.repository.js';
import type { Participant } from '../../conversations/participant.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { setLastAssigned } from '../../routing/routing.repository.js';
import { isFinal } from '../call-state.js';
import { applyCallEvent } from '../record-call-event.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { announceVoiceQueue } from './ring-waiting-calls.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCallForUpdate, markLineTalking, updateVoiceCall } from './voice.repository.js';
import type { JoinCall, VoiceDeps } from './voice-notifier.js';

/**
 * The agent whose console rings answers: the call is answered (or, after a transfer, stays
 * answered with a new agent), the conversation becomes theirs like an assigned chat, and the
 * answering socket joins the call. Only the agent it rings for may answer, and only while it rings.
 */
export async function answerVoiceCall(
  deps: VoiceDeps,
  agent: Participant & { kind: 'staff' },
  callId: string,
  join: JoinCall,
): Promise<VoiceCall> {
  const at = deps.clock.now();
  const conversation = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    if (found.voice.endedAt || isFinal(found.call.state)) throw VoiceError('voice_call_ended');
    if (found.voice.ringingAgentId !== agent.staffId) throw VoiceError('voice_not_ringing');
    await applyCallEvent(tx, found.call, { event: 'answer', staffId: agent.staffId }, at);
    await markLineTalking(tx, agent.staffId, callId);
    await updateVoiceCall(tx, callId, {
      agentId: agent.staffId,
      ringingAgentId: null,
      ringUntil: null,
      waitingSince: null,
      isOnHold: false,
      isAgentMuted: false,
      agentSeenAt: at,
      updatedAt: at,
    });
    const before = await findConversationForUpdate(tx, found.call.conversationId);
    if (!before) throw new Error(`conversation ${found.call.conversationId} vanished`);
    if (before.assigneeId === agent.staffId) return undefined;
    const updated = await setConversationAssignee(tx, before.id, agent.staffId, at);
    await recordConversationEvent(
      tx,
      before.id,
      'assigned',
      agent,
      { assigneeId: agent.staffId, previousAssigneeId: before.assigneeId, via: 'call', callId },
      at,
    );
    await setLastAssigned(tx, agent.staffId, at);
    return updated;
  });
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'assigned', agentName: agent.name });
  await join(callId);
  const view = await loadVoiceCall(deps, callId);
  // The agent's other tabs stop ringing too.
  deps.voice.ringStopped(agent.staffId, callId, 'answered');
  deps.voice.callChanged(view);
  await announceVoiceQueue(deps);
  return view;
}
