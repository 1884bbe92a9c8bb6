import type { Queryable } from '../../../platform/index.js';
import { assertOnCall, type CallSide, isLive } from './call-side.js';
import { VoiceError } from './voice.errors.js';
import { findVoiceCall } from './voice.repository.js';

/**
 * Before a session description is relayed: the call is live and the sender still on it (an agent
 * transferred away cannot start media with the caller). ICE candidates skip this read; the
 * sender's socket must be in the call's room, which only these checks put it in.
 */
export async function assertMaySignal(db: Queryable, callId: string, by: Exclude<CallSide, { side: 'system' }>): Promise<void> {
  const found = await findVoiceCall(db, callId);
  if (!found) throw VoiceError('voice_call_not_found');
  await assertOnCall(db, found, by);
  if (!isLive(found)) throw VoiceError('voice_call_ended');
}
