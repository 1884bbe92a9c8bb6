import { sweepVoiceCalls } from '../phone/voice/sweep-voice-calls.js';
import { touchVoiceSides } from '../phone/voice/voice.repository.js';
import type { VoiceDeps } from '../phone/voice/voice-notifier.js';
import type { ChatServer } from './socket-types.js';

/** How often each node settles due calls (rings that rang out, queues that timed out, vanished sides). */
const sweepMs = 1_000;

/**
 * Each node, for the in-app calls: every few seconds it marks the call sides whose sockets it
 * holds as heard from (a node that stops marks nothing, so its calls end after the grace period
 * unless their sides rejoin elsewhere), and every second it sweeps due calls. Returns the stop function.
 */
export function startVoiceUpkeep(deps: VoiceDeps, io: ChatServer): () => void {
  let isSweeping = false;
  const sweep = setInterval(() => {
    if (isSweeping) return;
    isSweeping = true;
    sweepVoiceCalls(deps)
      .catch((error) => deps.logger.warn({ err: error }, 'voice sweep failed'))
      .finally(() => {
        isSweeping = false;
      });
  }, sweepMs).unref();
  const touchMs = Math.min(5_000, (deps.config.voice.reconnectGraceSeconds * 1000) / 3);
  const touch = setInterval(() => {
    touchLocalCallSides(deps, io).catch((error) => deps.logger.warn({ err: error }, 'voice heartbeat failed'));
  }, touchMs).unref();
  return () => {
    clearInterval(sweep);
    clearInterval(touch);
  };
}

/** Marks the call sides this node's sockets are on (the rooms `vc:` and `va:` it holds locally) as heard from now. */
export async function touchLocalCallSides(deps: VoiceDeps, io: ChatServer): Promise<void> {
  const customer: string[] = [];
  const agent: string[] = [];
  for (const room of io.of('/').adapter.rooms.keys()) {
    if (room.startsWith('vc:')) customer.push(room.slice(3));
    else if (room.startsWith('va:')) agent.push(room.slice(3));
  }
  const at = deps.clock.now();
  await touchVoiceSides(deps.db, 'customer', customer, at);
  await touchVoiceSides(deps.db, 'agent', agent, at);
}
