import { withTransaction } from '../../../platform/index.js';
import { insertCallEvent } from '../phone.repository.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCallForUpdate, releaseAgentLine, updateVoiceCall } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';

/**
 * The ringing agent declines, or lets it ring out: their line is free again, they are passed over
 * for this call, and the call rings the next free agent (a call being transferred to them goes
 * back to the queue). A timeout finding the call no longer ringing for that agent does nothing.
 */
export async function passOnVoiceCall(
  deps: VoiceDeps,
  callId: string,
  input: { reason: 'declined'; staffId: string; why?: 'declined' | 'microphone_denied' | 'no_microphone' } | { reason: 'ring_timeout' },
): Promise<void> {
  const at = deps.clock.now();
  const passed = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    const { voice, call } = found;
    const agentId = voice.ringingAgentId;
    if (input.reason === 'declined' && (agentId !== input.staffId || voice.endedAt)) throw VoiceError('voice_not_ringing');
    if (input.reason === 'ring_timeout' && (!agentId || voice.endedAt || !voice.ringUntil || voice.ringUntil.getTime() > at.getTime()))
      return undefined;
    if (!agentId) return undefined;
    await releaseAgentLine(tx, agentId, callId);
    await updateVoiceCall(tx, callId, {
      ringingAgentId: null,
      ringUntil: null,
      passedOver: [...new Set([...voice.passedOver, agentId])],
      waitingSince: voice.waitingSince ?? at,
      updatedAt: at,
    });
    await insertCallEvent(tx, {
      callId,
      event: input.reason === 'declined' ? 'decline' : 'ring-timeout',
      fromState: call.state,
      toState: call.state,
      reason: input.reason === 'declined' ? (input.why ?? 'declined') : input.reason,
      staffId: agentId,
      at,
    });
    return agentId;
  });
  if (!passed) return;
  deps.voice.ringStopped(passed, callId, input.reason);
  deps.voice.callChanged(await loadVoiceCall(deps, callId));
  await ringWaitingCalls(deps);
}
