import { type CallEvent, type CallState, finalCallStates } from '@okpay/contracts';

// The call state machine: one explicit table, total over every state and event. Pure; the
// webhook adapter, the simulator and the console all go through it.

export type Transition =
  /** The event moves the call (or, `changed: false`, leaves it where it is as it should). */
  | { ok: true; state: CallState; changed: boolean }
  /** The event cannot happen in this state: a late, repeated or impossible report. Nothing changes. */
  | { ok: false; state: CallState; reason: 'call_ended' | 'not_in_this_state' };

type Row = Record<CallEvent, CallState | null>;

// null: refused. A state mapped to itself: accepted, nothing changes.
const table: Record<Exclude<CallState, (typeof finalCallStates)[number]>, Row> = {
  ringing: {
    enqueue: 'queued',
    answer: 'answered',
    'hang-up': 'abandoned',
    'no-answer': 'no-answer',
    busy: 'busy',
    fail: 'failed',
    voicemail: 'voicemail',
  },
  queued: {
    enqueue: 'queued',
    answer: 'answered',
    'hang-up': 'abandoned',
    'no-answer': 'no-answer',
    busy: null,
    fail: 'failed',
    voicemail: 'voicemail',
  },
  answered: {
    enqueue: null,
    answer: 'answered',
    'hang-up': 'completed',
    'no-answer': null,
    busy: null,
    fail: 'failed',
    voicemail: null,
  },
};

export function isFinal(state: CallState): boolean {
  return (finalCallStates as readonly CallState[]).includes(state);
}

/** Where `event` takes a call in `state`. */
export function nextCallState(state: CallState, event: CallEvent): Transition {
  if (isFinal(state)) return { ok: false, state, reason: 'call_ended' };
  const to = table[state as keyof typeof table][event];
  if (to === null) return { ok: false, state, reason: 'not_in_this_state' };
  return { ok: true, state: to, changed: to !== state };
}
