import { type CallEvent, type CallState, callEventSchema, callStateSchema } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import { isFinal, nextCallState } from './call-state.js';

// The expected answer for every event in every state, written out here rather than derived from
// the machine: '=' accepted without a change, '×' refused, a state name the state it moves to.
const expected: Record<CallState, Record<CallEvent, CallState | '=' | '×'>> = {
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
    enqueue: '=',
    answer: 'answered',
    'hang-up': 'abandoned',
    'no-answer': 'no-answer',
    busy: '×',
    fail: 'failed',
    voicemail: 'voicemail',
  },
  answered: { enqueue: '×', answer: '=', 'hang-up': 'completed', 'no-answer': '×', busy: '×', fail: 'failed', voicemail: '×' },
  completed: { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
  abandoned: { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
  'no-answer': { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
  busy: { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
  failed: { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
  voicemail: { enqueue: '×', answer: '×', 'hang-up': '×', 'no-answer': '×', busy: '×', fail: '×', voicemail: '×' },
};

const cases = callStateSchema.options.flatMap((state) =>
  callEventSchema.options.map((event) => ({ state, event, outcome: expected[state][event] })),
);

describe('the call state machine', () => {
  it('has an expected answer for every event in every state', () => {
    expect(cases).toHaveLength(callStateSchema.options.length * callEventSchema.options.length);
  });

  it.each(cases)('in $state, $event gives $outcome', ({ state, event, outcome }) => {
    const result = nextCallState(state, event);
    if (outcome === '×') {
      expect(result).toEqual({ ok: false, state, reason: isFinal(state) ? 'call_ended' : 'not_in_this_state' });
    } else if (outcome === '=') {
      expect(result).toEqual({ ok: true, state, changed: false });
    } else {
      expect(result).toEqual({ ok: true, state: outcome, changed: true });
    }
  });

  it('ends every call that leaves ringing, queued or answered by hanging up in a final state', () => {
    for (const state of ['ringing', 'queued', 'answered'] as const) {
      const ended = nextCallState(state, 'hang-up');
      expect(ended.ok && isFinal(ended.state)).toBe(true);
    }
  });
});
