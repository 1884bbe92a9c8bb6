import type { Transaction } from '../../platform/index.js';
import { insertSlaOutcomes } from './sla.repository.js';
import type { SlaClockRow } from './sla-clock.js';

export type SlaOutcome = {
  conversationId: string;
  kind: 'met' | 'warning' | 'breached';
  clock: SlaClockRow;
  at: Date;
  conversation: { channel: string; priority: string; assigneeId: string | null };
};

export function outcomePayload(outcome: SlaOutcome): Record<string, unknown> {
  const { clock } = outcome;
  return {
    target: clock.target,
    policy: clock.policyName,
    due: clock.dueAt?.toISOString() ?? null,
    at: outcome.at.toISOString(),
    cycle: clock.cycle,
    targetMs: clock.targetMs,
    elapsedMs: clock.state === 'running' ? null : clock.elapsedMs,
    clock: clock.clock,
    calendar: clock.calendarName,
    channel: outcome.conversation.channel,
    priority: outcome.conversation.priority,
    assigneeId: outcome.conversation.assigneeId,
  };
}

/** Records outcomes in the caller's transaction (which holds the clocks' row locks). */
export async function recordSlaOutcomes(tx: Transaction, outcomes: readonly SlaOutcome[]): Promise<void> {
  await insertSlaOutcomes(
    tx,
    outcomes.map((outcome) => ({
      conversationId: outcome.conversationId,
      kind: outcome.kind,
      payload: outcomePayload(outcome),
      at: outcome.at,
    })),
  );
}
