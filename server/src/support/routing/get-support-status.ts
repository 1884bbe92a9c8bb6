import type { SupportStatus } from '@okpay/contracts';
import type { Config, Database } from '../../platform/index.js';
import { emailSupportInfo } from '../email/reply-promise.js';
import { emailReplyHours } from '../sla/email-reply-hours.js';
import { estimateWait, freeAgentCount, onlineAgentCount, typicalHandleSeconds, waitingQueue } from './queue.js';

/** Whether agents are online, how long the queue is and what a new chat would wait; and email support for when chat is not the way. */
export async function getSupportStatus(deps: {
  db: Database;
  config: Pick<Config, 'email' | 'support' | 'telephony'>;
}): Promise<SupportStatus> {
  const [agentsOnline, freeAgents, queue, handleSeconds, replyWithinHours] = await Promise.all([
    onlineAgentCount(deps.db),
    freeAgentCount(deps.db),
    waitingQueue(deps.db),
    typicalHandleSeconds(deps.db),
    emailReplyHours(deps),
  ]);
  // With a free slot and nobody queued, a new chat is answered at once.
  const isImmediate = freeAgents > 0 && queue.length === 0;
  return {
    isAvailable: agentsOnline > 0,
    agentsOnline,
    freeAgents,
    queueLength: queue.length,
    estimatedWaitSeconds: isImmediate ? 0 : estimateWait(queue.length + 1, agentsOnline, handleSeconds),
    email: emailSupportInfo(deps.config.email.supportAddress, replyWithinHours),
    voicemail: { maxSeconds: deps.config.telephony.voicemailMaxSeconds, maxBytes: deps.config.telephony.voicemailMaxBytes },
  };
}
