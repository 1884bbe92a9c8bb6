import type { VoiceCall } from '@okpay/contracts';
import type { Queryable } from '../../../platform/index.js';
import { listVoiceCallRecords } from './voice.repository.js';
import { toVoiceCall } from './voice-call-view.js';
import { voiceQueuePositions } from './voice-queue.js';

/** In-app calls as their sides see them, with their places in the queue. */
export async function loadVoiceCalls(deps: { db: Queryable; clock: { now(): Date } }, callIds: readonly string[]): Promise<VoiceCall[]> {
  if (callIds.length === 0) return [];
  const [records, queue] = await Promise.all([listVoiceCallRecords(deps.db, callIds), voiceQueuePositions(deps.db, deps.clock.now())]);
  return records.map((record) => toVoiceCall(record, queue.get(record.call.id) ?? null));
}

export async function loadVoiceCall(deps: { db: Queryable; clock: { now(): Date } }, callId: string): Promise<VoiceCall> {
  const [call] = await loadVoiceCalls(deps, [callId]);
  if (!call) throw new Error(`voice call ${callId} vanished`);
  return call;
}
