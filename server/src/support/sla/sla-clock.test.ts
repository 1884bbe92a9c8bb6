import { describe, expect, it } from 'vitest';
import type { StoredCalendar } from '../hours/hours.repository.js';
import { buildHours, noStoredHours } from '../hours/support-hours.js';
import { conversationEvents } from '../support.events.js';
import { ClockBook, type ClockEvent, nextDue, type SlaClockRow, type SlaConversation, type SlaEnvironment } from './sla-clock.js';
import { buildSlaRules, type StoredSlaPolicy } from './sla-policies.js';
import { clockView } from './sla-view.js';

function environment(policies: StoredSlaPolicy[] = [], calendars: StoredCalendar[] = []): SlaEnvironment {
  const hours = buildHours({ ...noStoredHours, calendars });
  return { rules: buildSlaRules(policies, hours), hours };
}

const shipped = environment();
let eventId = 0;
const at = (iso: string) => new Date(iso);
const created = (when: string, channel: string, category = 'other'): ClockEvent => ({
  id: ++eventId,
  type: conversationEvents.created,
  payload: { channel, category },
  occurredAt: at(when),
});
const message = (when: string, authorType: 'customer' | 'visitor' | 'agent', isInternal = false): ClockEvent => ({
  id: ++eventId,
  type: conversationEvents.messagePosted,
  payload: { authorType, isInternal },
  occurredAt: at(when),
});
const status = (when: string, from: string, to: string): ClockEvent => ({
  id: ++eventId,
  type:
    to === 'resolved'
      ? conversationEvents.resolved
      : to === 'closed'
        ? conversationEvents.closed
        : from === 'resolved'
          ? conversationEvents.reopened
          : conversationEvents.statusChanged,
  payload: { from, to },
  occurredAt: at(when),
});

const blank: SlaConversation = {
  channel: 'chat',
  priority: 'normal',
  category: 'other',
  status: 'open',
  hasAgentReplied: false,
  createdEventId: null,
  rulesVersion: '',
};

function play(events: ClockEvent[], env = shipped, book = new ClockBook(env, { ...blank }, new Map())): ClockBook {
  for (const event of events) book.apply(event);
  return book;
}
const clock = (book: ClockBook, target: SlaClockRow['target']) => book.clocks.get(target) as SlaClockRow;
const due = (book: ClockBook, target: SlaClockRow['target']) => clock(book, target)?.dueAt?.toISOString() ?? null;

describe('SLA clocks on the shipped policies', () => {
  it('email: the first reply is due 48 wall-clock hours after the customer wrote, weekend or not', () => {
    const book = play([created('2026-12-04T19:00:00+08:00', 'email'), message('2026-12-04T19:00:00+08:00', 'visitor')]);
    expect(due(book, 'first_reply')).toBe('2026-12-06T11:00:00.000Z');
    expect(clock(book, 'first_reply')).toMatchObject({ state: 'running', clock: 'wall', policyName: 'email' });
  });

  it('chat: two minutes of chat hours, so a message at 20:59 is due at 09:01 the next morning', () => {
    const book = play([created('2026-03-03T20:59:00+08:00', 'chat'), message('2026-03-03T20:59:00+08:00', 'customer')]);
    expect(due(book, 'first_reply')).toBe('2026-03-04T01:01:00.000Z');
    expect(clock(book, 'first_reply').calendarName).toBeNull();
  });

  it('New Year 2026: resolution counts 31 December, skips 1–3 January and counts the make-up Sunday 4 January', () => {
    const book = play([created('2025-12-31T17:00:00+08:00', 'email')]);
    // 1 h on 31 Dec, 9 h on Sun 4 Jan, 9 h on Mon 5 Jan, 8 h on Tue 6 Jan = 27 business hours.
    expect(due(book, 'resolution')).toBe('2026-01-06T09:00:00.000Z');
  });

  it('Spring Festival 2026: the make-up Saturdays 14 and 28 February count, 15–23 February do not', () => {
    const before = play([created('2026-02-13T10:00:00+08:00', 'email')]);
    // 8 h on Fri 13, 9 h on Sat 14, closed 15–23, 9 h on Tue 24, 1 h on Wed 25.
    expect(due(before, 'resolution')).toBe('2026-02-25T02:00:00.000Z');
    const after = play([created('2026-02-27T10:00:00+08:00', 'email')]);
    // 8 h on Fri 27, 9 h on Sat 28, closed Sun 1 March, 9 h on Mon 2, 1 h on Tue 3.
    expect(due(after, 'resolution')).toBe('2026-03-03T02:00:00.000Z');
  });

  it('National Day 2026: 1–7 October are skipped and the make-up Saturday 10 October counts', () => {
    const book = play([created('2026-09-30T10:00:00+08:00', 'email')]);
    // 8 h on Wed 30 Sep, 9 h on Thu 8 Oct, 9 h on Fri 9 Oct, 1 h on Sat 10 Oct.
    expect(due(book, 'resolution')).toBe('2026-10-10T02:00:00.000Z');
  });

  it('pauses while the conversation is pending (the customer’s turn) and resumes where it stood', () => {
    const book = play([created('2026-03-02T10:00:00+08:00', 'email'), status('2026-03-02T11:00:00+08:00', 'open', 'pending')]);
    expect(clock(book, 'resolution')).toMatchObject({ state: 'paused', pausedReason: 'pending', elapsedMs: 3_600_000, dueAt: null });
    play([status('2026-03-04T14:00:00+08:00', 'pending', 'open')], shipped, book);
    // 26 h left from Wed 14:00: 4 h Wed, 9 h Thu, 9 h Fri, 4 h Mon 9 March.
    expect(due(book, 'resolution')).toBe('2026-03-09T05:00:00.000Z');
  });

  it('a reply clock started while pending waits until the conversation is open again', () => {
    const book = play([
      created('2026-03-02T10:00:00+08:00', 'chat'),
      status('2026-03-02T10:00:30+08:00', 'open', 'pending'),
      message('2026-03-02T10:01:00+08:00', 'customer'),
    ]);
    expect(clock(book, 'first_reply')).toMatchObject({ state: 'paused', dueAt: null });
  });

  it('stops the first-reply clock at the agent’s answer and announces it met once; internal notes do not count', () => {
    const book = play([
      created('2026-03-02T10:00:00+08:00', 'chat'),
      message('2026-03-02T10:00:00+08:00', 'customer'),
      message('2026-03-02T10:00:30+08:00', 'agent', true),
      message('2026-03-02T10:01:30+08:00', 'agent'),
    ]);
    expect(clock(book, 'first_reply')).toMatchObject({ state: 'met', elapsedMs: 90_000 });
    expect(book.announcements.map((item) => [item.kind, item.clock.target])).toEqual([['met', 'first_reply']]);
  });

  it('a late answer stops the clock as breached, announced once; the next customer message starts the next-reply clock', () => {
    const book = play([
      created('2026-03-02T10:00:00+08:00', 'chat'),
      message('2026-03-02T10:00:00+08:00', 'customer'),
      message('2026-03-02T10:03:00+08:00', 'agent'),
      message('2026-03-02T10:04:00+08:00', 'customer'),
      message('2026-03-02T10:05:00+08:00', 'customer'),
    ]);
    expect(clock(book, 'first_reply').state).toBe('breached');
    expect(book.announcements.map((item) => item.kind)).toEqual(['breached']);
    // The oldest unanswered message counts: five minutes from 10:04.
    expect(clock(book, 'next_reply')).toMatchObject({ state: 'running', cycle: 1 });
    expect(due(book, 'next_reply')).toBe('2026-03-02T02:09:00.000Z');
  });

  it('resolving stops resolution and drops open reply clocks; reopening continues resolution from where it stood', () => {
    const book = play([
      created('2026-03-02T10:00:00+08:00', 'email'),
      message('2026-03-02T10:00:00+08:00', 'customer'),
      status('2026-03-02T12:00:00+08:00', 'open', 'resolved'),
    ]);
    expect(clock(book, 'resolution')).toMatchObject({ state: 'met', elapsedMs: 2 * 3_600_000 });
    expect(clock(book, 'first_reply').state).toBe('cancelled');
    play([status('2026-03-03T09:00:00+08:00', 'resolved', 'open')], shipped, book);
    expect(clock(book, 'resolution')).toMatchObject({ state: 'running', cycle: 2, elapsedMs: 2 * 3_600_000 });
    // 25 h left from Tue 09:00: 9 h Tue, 9 h Wed, 7 h Thu.
    expect(due(book, 'resolution')).toBe('2026-03-05T08:00:00.000Z');
  });

  it('gives the same clocks when the events are played again, and announces nothing twice', () => {
    const events = [
      created('2026-09-30T17:30:00+08:00', 'chat'),
      message('2026-09-30T20:59:00+08:00', 'customer'),
      message('2026-10-01T09:05:00+08:00', 'agent'),
      message('2026-10-01T09:06:00+08:00', 'customer'),
      status('2026-10-01T09:07:00+08:00', 'open', 'pending'),
      status('2026-10-02T09:07:00+08:00', 'pending', 'open'),
    ];
    const first = play(events);
    const again = play(events, shipped, new ClockBook(shipped, { ...first.conversation }, structuredClone(first.clocks)));
    expect([...again.clocks.values()]).toEqual([...first.clocks.values()]);
    expect(again.announcements).toEqual([]);
    expect(first.announcements.map((item) => item.kind)).toEqual(['breached']);
  });
});

describe('SLA clocks on policies and calendars an administrator saved', () => {
  const split: StoredCalendar = {
    name: 'split',
    timeZone: 'Asia/Shanghai',
    weeklyPeriods: Array.from({ length: 7 }, () => [
      { start: 9 * 60, end: 12 * 60 },
      { start: 13 * 60, end: 18 * 60 },
    ]),
    followsChinaHolidays: false,
    updatedAt: new Date(0),
    updatedBy: null,
  };
  const policy = (name: string, fields: Partial<StoredSlaPolicy>): StoredSlaPolicy => ({
    name,
    channel: 'chat',
    priority: null,
    category: null,
    firstReply: null,
    nextReply: null,
    resolution: null,
    updatedAt: new Date(0),
    updatedBy: null,
    ...fields,
  });

  it('a split-shift day: two minutes from 11:59 are due at 13:01, after lunch', () => {
    const env = environment([policy('chat', { firstReply: { minutes: 2, clock: 'business', calendar: 'split' } })], [split]);
    const book = play([created('2026-03-03T11:59:00+08:00', 'chat'), message('2026-03-03T11:59:00+08:00', 'customer')], env);
    expect(due(book, 'first_reply')).toBe('2026-03-03T05:01:00.000Z');
    const view = clockView(env, clock(book, 'first_reply'), 'chat', at('2026-03-03T12:30:00+08:00'));
    expect(view).toMatchObject({ remainingMs: 60_000, isTicking: false, nextChange: '2026-03-03T05:00:00.000Z', risk: 'ok' });
  });

  it('the most specific policy applies, and a change of priority re-targets running clocks keeping what they counted', () => {
    const env = environment([
      policy('chat', { firstReply: { minutes: 10, clock: 'wall', calendar: null } }),
      policy('chat-urgent', { priority: 'urgent', firstReply: { minutes: 4, clock: 'wall', calendar: null } }),
      policy('chat-freeze-urgent', { priority: 'urgent', category: 'freeze', firstReply: { minutes: 2, clock: 'wall', calendar: null } }),
    ]);
    const book = play([created('2026-03-03T10:00:00+08:00', 'chat', 'freeze'), message('2026-03-03T10:00:00+08:00', 'customer')], env);
    expect(clock(book, 'first_reply')).toMatchObject({ policyName: 'chat', targetMs: 600_000 });
    play(
      [
        {
          id: ++eventId,
          type: conversationEvents.priorityChanged,
          payload: { from: 'normal', to: 'urgent' },
          occurredAt: at('2026-03-03T10:01:00+08:00'),
        },
      ],
      env,
      book,
    );
    expect(clock(book, 'first_reply')).toMatchObject({ policyName: 'chat-freeze-urgent', targetMs: 120_000, elapsedMs: 60_000 });
    expect(nextDue(book.clocks.values())?.toISOString()).toBe('2026-03-03T02:02:00.000Z');
  });
});
