import type { CallEvent, Locale } from '@okpay/contracts';
import { type Transaction, withTransaction } from '../../platform/index.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { isFinal, nextCallState, type Transition } from './call-state.js';
import { type CallRow, findCallByProviderIdForUpdate, hasCallEvent, insertCallEvent, updateCall } from './phone.repository.js';
import { type ProviderRecording, queueProviderRecording } from './recordings/provider-recordings.js';

export type CallReport = {
  provider: string;
  providerCallId: string;
  event: CallEvent;
  /** Names this report among the provider's reports about the call; the same key twice is a replay. */
  providerEventKey?: string;
  /** The language the caller chose, once known. */
  locale?: Locale;
  /** A voicemail's recording at the provider. */
  recordingUrl?: string;
  /** The same recording to fetch and keep as ours, once the call is in `voicemail`. */
  recording?: ProviderRecording;
};

export type CallReportResult =
  | { outcome: 'unknown_call' }
  | { outcome: 'replayed'; call: CallRow }
  | { outcome: 'applied'; call: CallRow; transition: Transition };

/**
 * Applies one report about a call through the state machine, under the call's row lock, and logs
 * it (refused reports too, with the state unchanged): the call's timestamps follow its state, and
 * each change is on the conversation's timeline.
 */
export async function recordCallEvent(deps: SupportDeps, report: CallReport): Promise<CallReportResult> {
  const at = deps.clock.now();
  return withTransaction(deps.pool, async (tx) => {
    const call = await findCallByProviderIdForUpdate(tx, report.provider, report.providerCallId);
    if (!call) return { outcome: 'unknown_call' as const };
    if (report.providerEventKey && (await hasCallEvent(tx, call.id, report.providerEventKey)))
      return { outcome: 'replayed' as const, call };
    const applied = await applyCallEvent(tx, call, report, at);
    if (report.recording && applied.transition.ok && applied.transition.changed && applied.call.state === 'voicemail')
      await queueProviderRecording(tx, deps, applied.call, report.recording, at);
    return { outcome: 'applied' as const, ...applied };
  });
}

export type AppliedCallEvent = Omit<CallReport, 'provider' | 'providerCallId'> & {
  /** Why it happened, for the log (an in-app call's disposition). */
  reason?: string;
  /** The agent it was about. */
  staffId?: string;
};

/**
 * One event on a call the caller has locked (`FOR UPDATE`): through the state machine, into the
 * log, onto the call's timestamps and, when the state moves, the conversation's timeline.
 */
export async function applyCallEvent(
  tx: Transaction,
  call: CallRow,
  report: AppliedCallEvent,
  at: Date,
): Promise<{ call: CallRow; transition: Transition }> {
  const transition = nextCallState(call.state, report.event);
  await insertCallEvent(tx, {
    callId: call.id,
    event: report.event,
    fromState: call.state,
    toState: transition.state,
    providerEventKey: report.providerEventKey ?? null,
    reason: report.reason ?? null,
    staffId: report.staffId ?? null,
    at,
  });
  const changed = transition.ok && transition.changed;
  const locale = report.locale && report.locale !== call.locale ? report.locale : undefined;
  if (!changed && !locale) return { call, transition };
  const to = transition.state;
  const updated = await updateCall(tx, call.id, {
    ...(changed ? { state: to } : {}),
    ...(locale ? { locale } : {}),
    ...(changed && to === 'queued' ? { queuedAt: at } : {}),
    ...(changed && to === 'answered' ? { answeredAt: at } : {}),
    ...(changed && isFinal(to) ? { endedAt: at } : {}),
    ...(changed && to === 'voicemail' && report.recordingUrl ? { recordingUrl: report.recordingUrl } : {}),
    updatedAt: at,
  });
  if (changed) {
    await recordConversationEvent(
      tx,
      call.conversationId,
      'call_changed',
      { kind: 'system' },
      { callId: call.id, event: report.event, from: call.state, to, ...(report.reason ? { reason: report.reason } : {}) },
      at,
    );
  }
  return { call: updated, transition };
}
