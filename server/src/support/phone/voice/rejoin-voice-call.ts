import type { VoiceCall } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import type { Participant } from '../../conversations/participant.js';
import { insertCallEvent } from '../phone.repository.js';
import { assertOnCall, isLive } from './call-side.js';
import { loadVoiceCall, loadVoiceCalls } from './load-voice-calls.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCallForUpdate, listLiveVoiceCallsOfAgent, updateVoiceCall } from './voice.repository.js';
import type { JoinCall, VoiceDeps } from './voice-notifier.js';

/**
 * A side takes the call back up after its socket reconnected (to any node, perhaps after the one
 * it was on restarted) or its page reloaded: the call's state is read from PostgreSQL, the socket
 * joins again and the side counts as heard from. When the agent comes back, the caller sets media
 * up again: an ICE restart if the agent's page kept its connection, a new session if not. A call
 * that ended meanwhile is answered as it ended.
 */
export async function rejoinVoiceCall(
  deps: VoiceDeps,
  participant: Participant,
  callId: string,
  input: { hasMedia: boolean },
  join: JoinCall,
): Promise<VoiceCall> {
  const at = deps.clock.now();
  const side = await withTransaction(deps.pool, async (tx) => {
    const found = await findVoiceCallForUpdate(tx, callId);
    if (!found) throw VoiceError('voice_call_not_found');
    if (participant.kind === 'staff') {
      const { voice } = found;
      // A ringing console reloaded: it rings again; otherwise only the connected agent may come back.
      if (voice.ringingAgentId === participant.staffId && isLive(found)) return 'ringing' as const;
      await assertOnCall(tx, found, { side: 'agent', staffId: participant.staffId });
    } else await assertOnCall(tx, found, { side: 'customer', participant });
    if (!isLive(found)) return 'ended' as const;
    const which = participant.kind === 'staff' ? ('agent' as const) : ('customer' as const);
    await updateVoiceCall(tx, callId, { ...(which === 'agent' ? { agentSeenAt: at } : { customerSeenAt: at }), updatedAt: at });
    await insertCallEvent(tx, {
      callId,
      event: 'rejoin',
      fromState: found.call.state,
      toState: found.call.state,
      reason: which,
      ...(participant.kind === 'staff' ? { staffId: participant.staffId } : {}),
      at,
    });
    return which;
  });
  const view = await loadVoiceCall(deps, callId);
  if (side === 'ended') return view;
  if (side === 'ringing') {
    if (view.ringingAgentId) deps.voice.ringing(view.ringingAgentId, view);
    return view;
  }
  await join(callId);
  if (side === 'agent' && view.phase === 'connected') deps.voice.renegotiate(callId, !input.hasMedia);
  return view;
}

/** What a console reloading mid-call takes back up: the calls ringing for the agent or connected to them. */
export async function listAgentVoiceCalls(deps: VoiceDeps, staffId: string): Promise<VoiceCall[]> {
  return loadVoiceCalls(deps, await listLiveVoiceCallsOfAgent(deps.db, staffId));
}
