import { endVoiceCall } from './end-voice-call.js';
import { passOnVoiceCall } from './pass-on-voice-call.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { listDueVoiceCalls } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';

/**
 * What no client will do: a console that rang too long passes the call on, a caller who waited
 * past the queue timeout is told nobody could answer (no-answer: the widget offers a callback), a
 * side not heard from for the reconnect grace period (closed tab, lost network, a node that
 * stopped and nobody rejoined) ends the call, and waiting calls ring agents who became free.
 * Every node runs it; each call is decided under its row lock, so a call is handled once.
 */
export async function sweepVoiceCalls(deps: VoiceDeps): Promise<number> {
  const at = deps.clock.now();
  const silentBefore = new Date(at.getTime() - deps.config.voice.reconnectGraceSeconds * 1000);
  const isSilent = (seenAt: Date | null) => seenAt !== null && seenAt.getTime() < silentBefore.getTime();
  const due = await listDueVoiceCalls(deps.db, at, silentBefore);
  let handled = 0;
  let isRingingNeeded = false;
  for (const { callId, due: what } of due) {
    try {
      if (what === 'customer')
        await endVoiceCall(deps, callId, { side: 'system' }, 'customer_disconnected', (voice) => isSilent(voice.customerSeenAt));
      else if (what === 'agent')
        await endVoiceCall(
          deps,
          callId,
          { side: 'system' },
          'agent_disconnected',
          (voice) => voice.agentId !== null && isSilent(voice.agentSeenAt),
        );
      else if (what === 'ring') await passOnVoiceCall(deps, callId, { reason: 'ring_timeout' });
      else if (what === 'queue')
        await endVoiceCall(
          deps,
          callId,
          { side: 'system' },
          'queue_timeout',
          (voice) => voice.waitingSince !== null && voice.queueUntil !== null && voice.queueUntil.getTime() < at.getTime(),
        );
      else isRingingNeeded = true;
      if (what !== 'unrung') handled += 1;
    } catch (error) {
      deps.logger.warn({ err: error, callId, due: what }, 'voice sweep could not settle a call');
    }
  }
  if (isRingingNeeded) handled += (await ringWaitingCalls(deps, { quietUnlessRung: true })).length;
  return handled;
}
