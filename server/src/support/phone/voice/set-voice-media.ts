import type { VoiceCall } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import { insertCallEvent } from '../phone.repository.js';
import { assertOnCall, type CallSide, isLive } from './call-side.js';
import { loadVoiceCall } from './load-voice-calls.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCallForUpdate, updateVoiceCall } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';

export type MediaChange = { kind: 'mute'; isMuted: boolean } | { kind: 'hold'; isOnHold: boolean };

/**
 * Mute (either side: its own microphone, shown to the other) and hold (the agent: both sides pause
 * their audio), kept on the call so a side that reconnects finds them, and logged.
 */
export async function setVoiceMedia(
  deps: VoiceDeps,
  callId: string,
  by: Exclude<CallSide, { side: 'system' }>,
  change: MediaChange,
): Promise<VoiceCall> {
  const at = deps.clock.now();
  const changed = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    await assertOnCall(tx, found, by);
    if (!isLive(found)) throw VoiceError('voice_call_ended');
    const { voice, call } = found;
    if (change.kind === 'hold') {
      // Hold is the agent's to press, on a call they are connected to.
      if (by.side !== 'agent') throw VoiceError('voice_not_connected');
      if (voice.isOnHold === change.isOnHold) return false;
      await updateVoiceCall(tx, callId, { isOnHold: change.isOnHold, updatedAt: at });
      await insertCallEvent(tx, {
        callId,
        event: change.isOnHold ? 'hold' : 'resume',
        fromState: call.state,
        toState: call.state,
        staffId: by.staffId,
        at,
      });
      return true;
    }
    const field = by.side === 'customer' ? 'isCustomerMuted' : 'isAgentMuted';
    if (voice[field] === change.isMuted) return false;
    await updateVoiceCall(tx, callId, { [field]: change.isMuted, updatedAt: at });
    await insertCallEvent(tx, {
      callId,
      event: change.isMuted ? 'mute' : 'unmute',
      fromState: call.state,
      toState: call.state,
      reason: by.side,
      ...(by.side === 'agent' ? { staffId: by.staffId } : {}),
      at,
    });
    return true;
  });
  const view = await loadVoiceCall(deps, callId);
  if (changed) deps.voice.callChanged(view);
  return view;
}
