import type { QueueInfo } from '@okpay/contracts';
import type { Queryable } from '../../../platform/index.js';
import { estimateWait, onlineAgentCount } from '../../routing/queue.js';
import { listVoiceQueue, medianVoiceTalkSeconds } from './voice.repository.js';

/** What an in-app call talks for before there is a week of history to learn from. */
const defaultTalkSeconds = 240;
const weekMs = 7 * 24 * 3_600_000;

/**
 * Every waiting call's place in the voice queue and an honest wait: calls ahead shared among the
 * agents online, each taking a typical call's talk time (last week's median) to free a line.
 */
export async function voiceQueuePositions(db: Queryable, at: Date): Promise<Map<string, QueueInfo>> {
  const queue = await listVoiceQueue(db);
  if (queue.length === 0) return new Map();
  const [agentsOnline, median] = await Promise.all([onlineAgentCount(db), medianVoiceTalkSeconds(db, new Date(at.getTime() - weekMs))]);
  const talkSeconds = median === undefined ? defaultTalkSeconds : Math.min(1800, Math.max(30, Math.round(median)));
  return new Map(
    queue.map((callId, index) => {
      // The call being put through now waits for nobody; the one behind it for one call's worth, shared among the agents.
      const position = index + 1;
      return [callId, { position, agentsOnline, estimatedWaitSeconds: estimateWait(position - 1, agentsOnline, talkSeconds) }];
    }),
  );
}
