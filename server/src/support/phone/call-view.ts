import { type CallView, type FinalCallState, finalCallStates } from '@okpay/contracts';
import type { CallEventRow, CallRow } from './phone.repository.js';
import { maskPhoneNumber } from './phone-numbers.js';
import { toRecordingView } from './recordings/recording-view.js';
import type { RecordingRow } from './recordings/recordings.repository.js';

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

/** A call and its log as the console shows them: numbers masked, times in seconds, its recordings. */
export function toCallView(call: CallRow, events: readonly CallEventRow[], recordings: readonly RecordingRow[] = []): CallView {
  const disposition = (finalCallStates as readonly string[]).includes(call.state) ? (call.state as FinalCallState) : null;
  return {
    id: call.id,
    conversationId: call.conversationId,
    provider: call.provider,
    direction: call.direction,
    from: maskPhoneNumber(call.fromNumber),
    to: maskPhoneNumber(call.toNumber),
    state: call.state,
    disposition,
    startedAt: call.startedAt.toISOString(),
    queueSeconds: call.queuedAt ? seconds(call.queuedAt, call.answeredAt ?? call.endedAt) : null,
    talkSeconds: call.answeredAt ? seconds(call.answeredAt, call.endedAt) : null,
    endedAt: call.endedAt?.toISOString() ?? null,
    log: events.map((event) => ({
      seq: event.seq,
      event: event.event,
      from: event.fromState,
      to: event.toState,
      reason: event.reason,
      staffId: event.staffId,
      at: event.at.toISOString(),
    })),
    recordings: recordings.map(toRecordingView),
  };
}
