import { withTransaction } from '../../../platform/index.js';
import { findCall, insertCallEvent } from '../phone.repository.js';
import { loadVoiceCalls } from './load-voice-calls.js';
import { claimAgentLine, lockUnrungCalls, updateVoiceCall } from './voice.repository.js';
import type { VoiceDeps } from './voice-notifier.js';
import { voiceQueuePositions } from './voice-queue.js';

/** How many waiting calls one run considers. */
const batch = 50;

/**
 * Rings a free agent's console for each waiting call nobody rings yet, oldest first, until calls or
 * agents run out; then tells every waiting caller where they stand. Each ring claims the agent's
 * line first (voice.repository's claimAgentLine), so nodes running this at once never ring one
 * agent for two calls, and each call's row lock means no call rings two agents.
 */
export async function ringWaitingCalls(deps: VoiceDeps, options: { quietUnlessRung?: boolean } = {}): Promise<string[]> {
  const at = deps.clock.now();
  const rung = await withTransaction(deps.pool, async (tx) => {
    const made: Array<{ callId: string; agentId: string }> = [];
    for (const voice of await lockUnrungCalls(tx, batch)) {
      const agentId = await claimAgentLine(tx, { callId: voice.callId, at, passOver: voice.passedOver });
      // Nobody free at all: the calls behind this one wait too. Only the agents who passed this one
      // over are free: the next call may still go to them.
      if (!agentId && voice.passedOver.length === 0) break;
      if (!agentId) continue;
      await updateVoiceCall(tx, voice.callId, {
        ringingAgentId: agentId,
        ringUntil: new Date(at.getTime() + deps.config.voice.ringSeconds * 1000),
        updatedAt: at,
      });
      const call = await findCall(tx, voice.callId);
      if (!call) throw new Error(`call ${voice.callId} vanished`);
      await insertCallEvent(tx, { callId: call.id, event: 'ring-agent', fromState: call.state, toState: call.state, staffId: agentId, at });
      made.push({ callId: voice.callId, agentId });
    }
    return made;
  });
  if (rung.length > 0) {
    const views = await loadVoiceCalls(
      deps,
      rung.map((ring) => ring.callId),
    );
    for (const view of views) {
      if (view.ringingAgentId) deps.voice.ringing(view.ringingAgentId, view);
      deps.voice.callChanged(view);
    }
  }
  // The sweep looks every second: it tells waiting callers only when it changed something.
  if (rung.length > 0 || !options.quietUnlessRung) await announceVoiceQueue(deps);
  return rung.map((ring) => ring.callId);
}

/** Sends every waiting caller their place in the queue and the expected wait. */
export async function announceVoiceQueue(deps: VoiceDeps): Promise<void> {
  const positions = await voiceQueuePositions(deps.db, deps.clock.now());
  if (positions.size > 0) deps.voice.queue(positions);
}
