import type { SupportDeps } from '../support-deps.js';
import { listConversationClocks } from './sla.repository.js';
import { advance, type SlaClockRow } from './sla-clock.js';
import { policyFor } from './sla-policies.js';
import { currentSlaEnvironment } from './sla-rules.js';

export type ReplyExpectation = { id: string; channel: string; priority: string; category: string };

/**
 * When a customer can expect our reply, as the SLA clocks count it: the running reply clock's due
 * time, or, before the clocks have seen the message (they follow the outbox within moments), what
 * the conversation's policy gives from `since` by the same arithmetic. Null when no reply target
 * applies or the calendar does not open.
 */
export async function expectedReplyAt(
  deps: SupportDeps,
  conversation: ReplyExpectation,
  since: Date,
  /** The conversation's clocks when the caller read them already (for many conversations at once). */
  known?: readonly SlaClockRow[],
): Promise<Date | null> {
  const clocks = known ?? (await listConversationClocks(deps.db, [conversation.id])).get(conversation.id) ?? [];
  const running = clocks.find((clock) => (clock.target === 'first_reply' || clock.target === 'next_reply') && clock.state === 'running');
  if (running?.dueAt) return running.dueAt;
  const environment = await currentSlaEnvironment(deps);
  const policy = policyFor(environment.rules, conversation);
  const target = policy?.firstReply ?? policy?.nextReply;
  if (!policy || !target) return null;
  const clock: Pick<SlaClockRow, 'clock' | 'calendarName'> = { clock: target.clock, calendarName: target.calendar };
  return advance(environment, clock as SlaClockRow, conversation.channel, since, target.minutes * 60_000);
}
