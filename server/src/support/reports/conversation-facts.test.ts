import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../../platform/index.js';
import { conversationEvents } from '../support.events.js';
import { type ConversationState, type FoldContext, foldConversationEvent } from './conversation-facts.js';

const context: FoldContext = { businessSeconds: (_channel, from, to) => (to - from) / 2000, calendarVersion: () => 'v1', lowScore: 2 };
let position = 0;
const event = (type: string, payload: Record<string, unknown>, at: string): PublishedEvent => ({
  id: ++position,
  position,
  type,
  subject: { type: 'conversation', id: 'c1' },
  payload: { conversationId: 'c1', ...payload },
  occurredAt: new Date(at),
});

function fold(events: PublishedEvent[]) {
  let state: ConversationState | undefined;
  const facts = [];
  for (const item of events) {
    const folded = foldConversationEvent(state, item, context);
    state = folded.state;
    facts.push(...folded.facts);
  }
  return { state, facts };
}

describe('folding conversation events into report facts', () => {
  it('starts a conversation once even when its creation is announced twice', () => {
    const { state, facts } = fold([
      event(conversationEvents.created, { channel: 'email', category: 'top_up' }, '2026-03-02T09:00:00Z'),
      event(conversationEvents.created, { channel: 'email', reference: 'K7Q2M9' }, '2026-03-02T09:00:00Z'),
    ]);
    expect(state).toMatchObject({ channel: 'email', category: 'top_up' });
    expect(facts.filter((fact) => fact.metric === 'created')).toHaveLength(1);
  });

  it('ignores internal notes and counts an answer only after a customer message', () => {
    const { facts } = fold([
      event(conversationEvents.created, { channel: 'chat', category: 'other' }, '2026-03-02T09:00:00Z'),
      event(conversationEvents.messagePosted, { authorType: 'agent', authorId: 'a', isInternal: true }, '2026-03-02T09:00:10Z'),
      event(conversationEvents.messagePosted, { authorType: 'customer', isInternal: false }, '2026-03-02T09:00:20Z'),
      event(conversationEvents.messagePosted, { authorType: 'agent', authorId: 'a', isInternal: false }, '2026-03-02T09:01:20Z'),
    ]);
    expect(facts.find((fact) => fact.metric === 'first_response')).toMatchObject({ value: 60, businessValue: 30, agentId: 'a' });
    expect(facts.filter((fact) => fact.metric === 'replies')).toHaveLength(1);
  });

  it('does not count events of a conversation it never saw start', () => {
    const { state, facts } = fold([event(conversationEvents.resolved, { from: 'open', to: 'resolved' }, '2026-03-02T09:00:00Z')]);
    expect(state).toBeUndefined();
    expect(facts).toEqual([]);
  });

  it('moves a changed rating from its old score and reasons to the new ones, at the time it was first given', () => {
    const { facts } = fold([
      event(conversationEvents.created, { channel: 'chat', category: 'other' }, '2026-03-02T09:00:00Z'),
      event(conversationEvents.rated, { score: 1, reasons: ['slow_reply'], agentId: 'a' }, '2026-03-02T10:00:00Z'),
      event(conversationEvents.rated, { score: 4, previousScore: 1, reasons: ['friendly'], agentId: 'a' }, '2026-03-03T10:00:00Z'),
    ]);
    const net = (metric: string) => facts.filter((fact) => fact.metric === metric).reduce((sum, fact) => sum + fact.count, 0);
    expect(net('csat_rating')).toBe(1);
    expect(facts.filter((fact) => fact.metric === 'csat_rating').reduce((sum, fact) => sum + (fact.value ?? 0), 0)).toBe(4);
    expect([net('csat_score:1'), net('csat_score:4'), net('csat_low'), net('csat_reason:slow_reply'), net('csat_reason:friendly')]).toEqual(
      [0, 1, 0, 0, 1],
    );
    expect(new Set(facts.filter((fact) => fact.metric.startsWith('csat')).map((fact) => new Date(fact.at).toISOString()))).toEqual(
      new Set(['2026-03-02T10:00:00.000Z']),
    );
  });
});
