import type { PublishedEvent } from '../../platform/index.js';
import { conversationEvents } from '../support.events.js';
import { csatReasonKey, csatScoreKey, metricKeys, slaKeys } from './report-metrics.js';

/** What reports remember about a conversation between its events (`report_conversations`). */
export type ConversationState = {
  id: string;
  channel: string;
  category: string;
  createdAt: number;
  status: string;
  assigneeId: string | null;
  /** When the current agent's hold on it began (null while unassigned or finished). */
  assignedAt: number | null;
  /** Agent time since the last resolution, wall-clock and business seconds. */
  handleSeconds: number;
  handleBusinessSeconds: number;
  queuedAt: number | null;
  firstAssignedAt: number | null;
  /** The oldest customer message still unanswered. */
  awaitingSince: number | null;
  hasFirstResponse: boolean;
  hasAgentReply: boolean;
  firstResolvedAt: number | null;
  lastResolvedBy: string | null;
  rating: { score: number; reasons: string[]; at: number; agentId: string | null; isLow: boolean } | null;
};

/** One observation for the report tables. */
export type Fact = {
  metric: string;
  at: number;
  conversationId: string | null;
  channel: string;
  category: string | null;
  agentId: string | null;
  /** Seconds for durations, the score for ratings; null for plain counts. */
  value: number | null;
  businessValue: number | null;
  /** +1 normally; a changed rating takes its old score and reasons back with −1. */
  count: number;
  calendarVersion: string | null;
};

/** A kept fact whose value changes later (a changed rating), found by its metric, time and conversation. */
export type FactChange = { metric: string; at: number; conversationId: string; value: number };

export type FoldContext = {
  /** Business seconds between two instants in the channel's calendar, and that calendar's version. */
  businessSeconds(channel: string, from: number, to: number): number;
  calendarVersion(channel: string): string;
  /** Ratings at or below this count as low (CSAT_LOW_SCORE). */
  lowScore: number;
};

export type Folded = { state: ConversationState | undefined; facts: Fact[]; changes: FactChange[] };

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function newConversationState(id: string, channel: string, category: string, at: number): ConversationState {
  return {
    id,
    channel,
    category,
    createdAt: at,
    status: 'open',
    assigneeId: null,
    assignedAt: null,
    handleSeconds: 0,
    handleBusinessSeconds: 0,
    queuedAt: null,
    firstAssignedAt: null,
    awaitingSince: null,
    hasFirstResponse: false,
    hasAgentReply: false,
    firstResolvedAt: null,
    lastResolvedBy: null,
    rating: null,
  };
}

/**
 * Folds one conversation event into the conversation's report state and the facts it produces.
 * Pure: the caller loads and stores the state, and writes the facts to the report tables.
 */
export function foldConversationEvent(current: ConversationState | undefined, event: PublishedEvent, context: FoldContext): Folded {
  const payload = event.payload;
  const at = event.occurredAt.getTime();
  const facts: Fact[] = [];
  const changes: FactChange[] = [];
  // Email conversations from before each channel published once were announced twice (the
  // timeline's entry and a second event with the reference), and stay so in the outbox a replay
  // reads: only the first one starts it.
  if (event.type === conversationEvents.created && current) return { state: current, facts, changes };
  if (event.type === conversationEvents.created) {
    const channel = text(payload.channel) ?? 'chat';
    const state = newConversationState(String(payload.conversationId ?? event.subject?.id), channel, text(payload.category) ?? 'other', at);
    // A chat left as a message while nobody was online never waits in the queue.
    if (channel === 'chat' && payload.offline !== true) state.queuedAt = at;
    facts.push(fact(state, metricKeys.created, at, null));
    return { state, facts, changes };
  }
  if (!current) return { state: undefined, facts, changes };
  const state: ConversationState = { ...current };
  const duration = (metric: string, from: number, agentId: string | null) => {
    const seconds = Math.max(0, (at - from) / 1000);
    const business = context.businessSeconds(state.channel, from, at);
    facts.push({
      ...fact(state, metric, at, agentId),
      value: seconds,
      businessValue: business,
      calendarVersion: context.calendarVersion(state.channel),
    });
  };
  // The agent's hold ends: its time joins the conversation's handle time.
  const endHold = () => {
    if (state.assignedAt === null) return;
    state.handleSeconds += Math.max(0, (at - state.assignedAt) / 1000);
    state.handleBusinessSeconds += context.businessSeconds(state.channel, state.assignedAt, at);
    state.assignedAt = null;
  };
  const finish = () => {
    endHold();
    facts.push(fact(state, metricKeys.resolved, at, state.assigneeId));
    if (state.firstResolvedAt === null) {
      state.firstResolvedAt = at;
      duration(metricKeys.resolution, state.createdAt, state.assigneeId);
    }
    if (state.handleSeconds > 0) {
      facts.push({
        ...fact(state, metricKeys.handle, at, state.assigneeId),
        value: state.handleSeconds,
        businessValue: state.handleBusinessSeconds,
        calendarVersion: context.calendarVersion(state.channel),
      });
    }
    if (state.channel === 'chat' && !state.hasAgentReply) facts.push(fact(state, metricKeys.abandoned, at, null));
    state.handleSeconds = 0;
    state.handleBusinessSeconds = 0;
    state.awaitingSince = null;
    state.lastResolvedBy = state.assigneeId;
  };

  switch (event.type) {
    case conversationEvents.messagePosted: {
      if (payload.isInternal === true) break;
      const author = text(payload.authorType);
      if (author === 'customer' || author === 'visitor') {
        state.awaitingSince ??= at;
      } else if (author === 'agent') {
        const agentId = text(payload.authorId);
        facts.push(fact(state, metricKeys.replies, at, agentId));
        state.hasAgentReply = true;
        if (state.awaitingSince !== null) {
          duration(state.hasFirstResponse ? metricKeys.nextResponse : metricKeys.firstResponse, state.awaitingSince, agentId);
          state.hasFirstResponse = true;
          state.awaitingSince = null;
        }
      }
      break;
    }
    case conversationEvents.assigned: {
      const assignee = text(payload.assigneeId);
      const previous = text(payload.previousAssigneeId) ?? state.assigneeId;
      if (previous && assignee && previous !== assignee) facts.push(fact(state, metricKeys.transferred, at, previous));
      endHold();
      state.assigneeId = assignee;
      if (assignee && state.status !== 'resolved' && state.status !== 'closed') state.assignedAt = at;
      if (state.firstAssignedAt === null && assignee) {
        state.firstAssignedAt = at;
        if (state.queuedAt !== null) duration(metricKeys.queueWait, state.queuedAt, assignee);
      }
      break;
    }
    case conversationEvents.unassigned:
      endHold();
      state.assigneeId = null;
      break;
    case conversationEvents.statusChanged:
      state.status = text(payload.to) ?? state.status;
      break;
    case conversationEvents.resolved:
      if (state.status !== 'resolved' && state.status !== 'closed') finish();
      state.status = 'resolved';
      break;
    case conversationEvents.closed:
      if (state.status !== 'resolved' && state.status !== 'closed') finish();
      state.status = 'closed';
      break;
    case conversationEvents.reopened:
      facts.push(fact(state, metricKeys.reopened, at, state.lastResolvedBy));
      state.status = 'open';
      if (state.assigneeId) state.assignedAt = at;
      break;
    case conversationEvents.categoryChanged:
      state.category = text(payload.to) ?? state.category;
      break;
    case conversationEvents.ratingRequested:
      facts.push(fact(state, metricKeys.csatRequested, at, state.assigneeId ?? state.lastResolvedBy));
      break;
    case conversationEvents.rated:
      rated(state, payload, at, context.lowScore, facts, changes);
      break;
    default:
      if (event.type.startsWith('support.sla.')) sla(state, event, at, facts);
  }
  return { state, facts, changes };
}

function fact(state: ConversationState, metric: string, at: number, agentId: string | null): Fact {
  return {
    metric,
    at,
    conversationId: state.id,
    channel: state.channel,
    category: state.category,
    agentId,
    value: null,
    businessValue: null,
    count: 1,
    calendarVersion: null,
  };
}

const reasonsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * A rating counts at the time it was first given, for the agent it was given about; a change
 * moves that rating from its old score (and reasons) to the new one instead of adding another.
 */
function rated(
  state: ConversationState,
  payload: Record<string, unknown>,
  at: number,
  lowScore: number,
  facts: Fact[],
  changes: FactChange[],
) {
  const score = Number(payload.score);
  if (!Number.isInteger(score) || score < 1 || score > 5) return;
  const reasons = reasonsOf(payload.reasons);
  const isLow = score <= lowScore;
  const previous = state.rating;
  if (!previous) {
    const agentId = text(payload.agentId);
    state.rating = { score, reasons, at, agentId, isLow };
    facts.push({ ...fact(state, metricKeys.csatRating, at, agentId), value: score });
    facts.push(fact(state, csatScoreKey(score), at, agentId));
    for (const reason of reasons) facts.push(fact(state, csatReasonKey(reason), at, agentId));
    if (isLow) facts.push(fact(state, metricKeys.csatLow, at, agentId));
    return;
  }
  const original = { ...fact(state, metricKeys.csatRating, previous.at, previous.agentId) };
  // The rating's sum moves by the difference; its count stays.
  facts.push({ ...original, value: score - previous.score, count: 0 });
  changes.push({ metric: metricKeys.csatRating, at: previous.at, conversationId: state.id, value: score });
  if (score !== previous.score) {
    facts.push({ ...original, metric: csatScoreKey(previous.score), count: -1 });
    facts.push({ ...original, metric: csatScoreKey(score), count: 1 });
  }
  for (const reason of previous.reasons)
    if (!reasons.includes(reason)) facts.push({ ...original, metric: csatReasonKey(reason), count: -1 });
  for (const reason of reasons)
    if (!previous.reasons.includes(reason)) facts.push({ ...original, metric: csatReasonKey(reason), count: 1 });
  if (previous.isLow !== isLow) facts.push({ ...original, metric: metricKeys.csatLow, count: isLow ? 1 : -1 });
  state.rating = { ...previous, score, reasons, isLow };
}

/** SLA clock outcomes (`support.sla.met|breached|warning`), per target, at the moment they happened. */
function sla(state: ConversationState, event: PublishedEvent, at: number, facts: Fact[]) {
  const kind = event.type.slice('support.sla.'.length);
  if (kind !== 'met' && kind !== 'breached' && kind !== 'warning') return;
  // Targets become part of a metric's name: plain letters, digits, _ and - only.
  const target = (text(event.payload.target) ?? 'unknown')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 40);
  const stamped = Date.parse(String(event.payload.at ?? ''));
  facts.push(fact(state, `${slaKeys[kind]}${target}`, Number.isNaN(stamped) ? at : stamped, state.assigneeId));
}
