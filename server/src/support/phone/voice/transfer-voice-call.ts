import type { VoiceCall } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import { findConversationForUpdate, setConversationAssignee } from '../../conversations/conversations.repository.js';
import type { Participant } from '../../conversations/participant.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { insertCallEvent } from '../phone.repository.js';
import { assertOnCall, isLive } from './call-side.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { VoiceError } from './voice.errors.js';
import { claimAgentLine, findVoiceCallForUpdate, releaseAgentLine, updateVoiceCall } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';

/**
 * The connected agent hands the caller on: to a colleague, whose console rings (if they are
 * online and free; otherwise refused and the call stays as it was), or back to the queue, where it
 * rings the next free agent. The caller waits on hold meanwhile and the call stays answered; if the
 * colleague does not answer, the call joins the queue. The agent who let go is not rung for it again.
 */
export async function transferVoiceCall(
  deps: VoiceDeps,
  agent: Participant & { kind: 'staff' },
  callId: string,
  targetAgentId: string | null,
): Promise<VoiceCall> {
  const at = deps.clock.now();
  const moved = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    await assertOnCall(tx, found, { side: 'agent', staffId: agent.staffId });
    if (!isLive(found)) throw VoiceError('voice_call_ended');
    if (targetAgentId === agent.staffId) throw VoiceError('voice_agent_unavailable');
    const { voice, call } = found;
    await releaseAgentLine(tx, agent.staffId, callId);
    const passedOver = [...new Set([...voice.passedOver, agent.staffId])];
    if (targetAgentId) {
      const claimed = await claimAgentLine(tx, { callId, at, passOver: [], agentId: targetAgentId });
      if (!claimed) throw VoiceError('voice_agent_unavailable');
    }
    await updateVoiceCall(tx, callId, {
      agentId: null,
      ringingAgentId: targetAgentId,
      ringUntil: targetAgentId ? new Date(at.getTime() + deps.config.voice.ringSeconds * 1000) : null,
      waitingSince: at,
      passedOver,
      isOnHold: false,
      isAgentMuted: false,
      agentSeenAt: null,
      updatedAt: at,
    });
    await insertCallEvent(tx, {
      callId,
      event: 'transfer',
      fromState: call.state,
      toState: call.state,
      reason: targetAgentId ? 'to_agent' : 'to_queue',
      staffId: targetAgentId ?? agent.staffId,
      at,
    });
    if (targetAgentId) return undefined;
    // Back to the queue: the conversation is nobody's until the next agent answers.
    const conversation = await findConversationForUpdate(tx, call.conversationId);
    if (!conversation || conversation.assigneeId === null) return undefined;
    const updated = await setConversationAssignee(tx, conversation.id, null, at);
    await recordConversationEvent(
      tx,
      conversation.id,
      'unassigned',
      agent,
      { previousAssigneeId: conversation.assigneeId, reason: 'call_transferred', callId },
      at,
    );
    return updated;
  });
  if (moved) deps.notifier.conversationUpdated(moved, { type: 'unassigned', agentName: null });
  const view = await loadVoiceCall(deps, callId);
  deps.voice.callChanged(view);
  deps.voice.agentLeft(callId);
  if (targetAgentId) deps.voice.ringing(targetAgentId, view);
  await ringWaitingCalls(deps);
  return view;
}
