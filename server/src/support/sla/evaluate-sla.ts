import type { SlaAlert } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { recordSlaOutcomes, type SlaOutcome } from './record-sla-outcomes.js';
import { type DueKind, lockStaleConversations, raiseConversationRisk, saveRescheduled, takeDueClocks } from './sla.repository.js';
import { ClockBook, projectionOf, type SlaClockRow, type SlaProjection } from './sla-clock.js';
import { currentSlaEnvironment } from './sla-rules.js';

export type SlaEvaluation = { breached: number; warned: number; rescheduled: number };
export type EvaluateOptions = { batchSize?: number };

async function announce(deps: SupportDeps, kind: DueKind, now: Date, limit: number): Promise<SlaAlert[]> {
  return withTransaction(deps.pool, async (tx) => {
    const clocks = await takeDueClocks(tx, kind, now, limit);
    if (clocks.length === 0) return [];
    const conversations = await raiseConversationRisk(
      tx,
      clocks.map((item) => item.conversationId),
      kind === 'breached' ? 2 : 1,
    );
    const outcomes: SlaOutcome[] = clocks.map(({ conversationId, clock }) => {
      const conversation = conversations.get(conversationId);
      return {
        conversationId,
        kind,
        clock,
        // The instant it happened, which a late tick does not move.
        at: (kind === 'breached' ? clock.dueAt : clock.warnAt) ?? now,
        conversation: {
          channel: conversation?.channel ?? '',
          priority: conversation?.priority ?? '',
          assigneeId: conversation?.assigneeId ?? null,
        },
      };
    });
    await recordSlaOutcomes(tx, outcomes);
    return outcomes.map((outcome) => ({
      kind,
      conversationId: outcome.conversationId,
      target: outcome.clock.target,
      policy: outcome.clock.policyName,
      dueAt: outcome.clock.dueAt?.toISOString() ?? now.toISOString(),
      at: outcome.at.toISOString(),
      assigneeId: outcome.conversation.assigneeId,
      channel: outcome.conversation.channel as SlaAlert['channel'],
    }));
  });
}

/**
 * After a policy or the hours changed: due times of open clocks computed under other rules are
 * computed again (what each clock counted so far stays), a batch of conversations at a time.
 */
async function reschedule(deps: SupportDeps, limit: number): Promise<number> {
  const environment = await currentSlaEnvironment(deps);
  const version = environment.rules.version;
  return withTransaction(deps.pool, async (tx) => {
    const stale = await lockStaleConversations(tx, version, limit);
    if (stale.length === 0) return 0;
    const projection: Array<SlaProjection & { id: string }> = [];
    const changed: Array<{ id: string; clock: SlaClockRow }> = [];
    const key = (clock: SlaClockRow) =>
      `${clock.policyName}|${clock.clock}|${clock.calendarName}|${clock.targetMs}|${clock.dueAt?.getTime()}|${clock.warnAt?.getTime()}`;
    for (const { conversationId, conversation, clocks } of stale) {
      if (clocks.size === 0) continue;
      const before = new Map([...clocks].map(([target, clock]) => [target, key(clock)]));
      const book = new ClockBook(environment, conversation, clocks);
      book.reschedule();
      // Only clocks whose targets or due times moved are written.
      let isChanged = false;
      for (const [target, clock] of clocks) {
        if (before.get(target) === key(clock)) continue;
        changed.push({ id: conversationId, clock });
        isChanged = true;
      }
      if (isChanged) projection.push({ id: conversationId, ...projectionOf([...clocks.values()]) });
    }
    await saveRescheduled(tx, { conversationIds: stale.map((item) => item.conversationId), version, changed, projection });
    return stale.length;
  });
}

/**
 * The SLA job (every minute, on one node: pg-boss's schedule; and safe if two nodes run it at
 * once): breaches, then warnings; then due times under changed rules, and what they made due. Each is recorded on
 * the timeline and in the outbox once, raises the conversation in the queue, and is told live to
 * its assignee and supervisors.
 */
export async function evaluateSla(deps: SupportDeps, options: EvaluateOptions = {}): Promise<SlaEvaluation> {
  const batchSize = options.batchSize ?? 5_000;
  const summary: SlaEvaluation = { breached: 0, warned: 0, rescheduled: 0 };
  const now = deps.clock.now();
  const announceDue = async () => {
    for (const kind of ['breached', 'warning'] as const) {
      for (;;) {
        const alerts = await announce(deps, kind, now, batchSize);
        if (alerts.length === 0) break;
        if (kind === 'breached') summary.breached += alerts.length;
        else summary.warned += alerts.length;
        deps.notifier.slaAlerts(alerts);
      }
    }
  };
  // What is due by the current rules first, so a change of rules never holds up this minute's alerts.
  await announceDue();
  for (let count = await reschedule(deps, batchSize); count > 0; count = await reschedule(deps, batchSize)) summary.rescheduled += count;
  if (summary.rescheduled > 0) await announceDue();
  return summary;
}
