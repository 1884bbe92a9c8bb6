import type { CallEvent, CallState, VoiceCall, VoiceDispositionReason } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import type { CallRow } from '../phone.repository.js';
import { applyCallEvent } from '../record-call-event.js';
import { assertOnCall, type CallSide, isLive } from './call-side.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCallForUpdate, releaseCallLines, updateVoiceCall, type VoiceCallRow } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';

/**
 * The state machine's event for each way an in-app call ends. Hanging up (or leaving for a
 * callback) is `hang-up`: abandoned before an agent answered, completed after. A device that
 * fails, or a side that vanished mid-call, is `fail`; a caller who vanished while waiting abandoned
 * it. Nobody answering in time is `no-answer`, except for a call already answered once and sent
 * back to the queue, which the machine can only complete.
 */
export function callEventFor(reason: VoiceDispositionReason, state: CallState): CallEvent {
  switch (reason) {
    case 'customer_hung_up':
    case 'agent_hung_up':
    case 'callback_requested':
      return 'hang-up';
    case 'queue_timeout':
      return state === 'answered' ? 'hang-up' : 'no-answer';
    case 'customer_disconnected':
      return state === 'answered' ? 'fail' : 'hang-up';
    default:
      return 'fail';
  }
}

/**
 * Ends an in-app call for a side (who must be on it) or for the system (a timeout, a side gone
 * past the grace period): the event goes through the state machine with its reason in the log, the
 * agent's line is freed and both sides are told. `when`, checked under the row lock, lets the sweep
 * end a call only if what made it due still holds. Ending an ended call answers it as it is.
 */
export async function endVoiceCall(
  deps: VoiceDeps,
  callId: string,
  by: CallSide,
  reason: VoiceDispositionReason,
  when?: (voice: VoiceCallRow, call: CallRow, at: Date) => boolean,
): Promise<VoiceCall | undefined> {
  const at = deps.clock.now();
  const ended = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    const { voice, call } = found;
    await assertOnCall(tx, found, by);
    if (!isLive(found)) return { wasLive: false, ringingAgentId: null };
    if (when && !when(voice, call, at)) return undefined;
    await applyCallEvent(
      tx,
      call,
      { event: callEventFor(reason, call.state), reason, ...(by.side === 'agent' ? { staffId: by.staffId } : {}) },
      at,
    );
    await releaseCallLines(tx, callId);
    await updateVoiceCall(tx, callId, {
      endedAt: at,
      endReason: reason,
      ringingAgentId: null,
      ringUntil: null,
      waitingSince: null,
      isOnHold: false,
      updatedAt: at,
    });
    return { wasLive: true, ringingAgentId: voice.ringingAgentId, conversationId: call.conversationId };
  });
  if (!ended) return undefined;
  const view = await loadVoiceCall(deps, callId);
  if (!ended.wasLive) return view;
  if (ended.ringingAgentId) deps.voice.ringStopped(ended.ringingAgentId, callId, 'ended');
  deps.voice.callChanged(view);
  // The console shows the call log with the conversation: it hears that the conversation changed.
  const conversation = ended.conversationId ? await findConversation(deps.db, ended.conversationId) : undefined;
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'call_ended' });
  // A freed agent may take the next caller.
  await ringWaitingCalls(deps);
  return view;
}
