/**
 * The events support publishes to the outbox, one per fact, each about a conversation (the
 * subject). Reports, email notifications and SLA clocks subscribe to these names.
 * Every payload carries `conversationId`, `actorType` (customer, visitor, staff, system) and
 * `actorId`; the rest is listed beside each name.
 */
export const conversationEvents = {
  /** channel, category; offline: true for a message left while nobody was online. */
  created: 'support.conversation.created',
  /** messageId, seq, authorType (customer, visitor, agent), authorId, isInternal, isOfflineMessage. */
  messagePosted: 'support.conversation.message-posted',
  /** assigneeId, via (auto, self, manual), previousAssigneeId. */
  assigned: 'support.conversation.assigned',
  /** previousAssigneeId, reason (agent_offline) when routing took it back. */
  unassigned: 'support.conversation.unassigned',
  /** from, to: a change between open and pending. */
  statusChanged: 'support.conversation.status-changed',
  /** from: the conversation is resolved. */
  resolved: 'support.conversation.resolved',
  /** from: resolved or closed and open again (by the customer writing, or by staff). */
  reopened: 'support.conversation.reopened',
  /** from: closed for good. */
  closed: 'support.conversation.closed',
  /** type, id: a wallet object linked to the conversation. */
  linked: 'support.conversation.linked',
  /** from, to. */
  categoryChanged: 'support.conversation.category-changed',
  /** from, to. */
  priorityChanged: 'support.conversation.priority-changed',
  /** from, to. */
  tagsChanged: 'support.conversation.tags-changed',
  /** messages: how many went out by email. */
  transcriptSent: 'support.conversation.transcript-sent',
  /** channel (widget, email): the customer was asked for a rating (shown in the chat, or the mail went out). */
  ratingRequested: 'support.conversation.rating-requested',
  /** score, previousScore, reasons, previousReasons, source, agentId, hasComment, needsReview: a rating or a changed one. */
  rated: 'support.conversation.rated',
  /** score: a supervisor followed up a low rating. */
  ratingReviewed: 'support.conversation.rating-reviewed',
  /** callId, event, from, to (call states; to is the disposition once final): a phone call on the conversation moved. */
  callChanged: 'support.conversation.call-changed',
} as const;

/** Agents' availability, about the staff member (subject `staff`): payload staffId, status (online, away, offline). */
export const agentEvents = {
  presenceChanged: 'support.agent.presence-changed',
} as const;

/**
 * SLA outcomes, about the conversation. Payload: `conversationId`, `target` (first_reply,
 * next_reply, resolution), `policy` (its name), `due` (ISO instant the target fell or falls due),
 * `at` (when it happened: the reply or resolution for met; the due instant for breached; the
 * warning instant for warning), `cycle` (which run of that target's clock: next_reply runs once
 * per unanswered customer turn), `targetMs`, `elapsedMs` (counted when stopped; null while running),
 * `clock` (business or wall), `calendar`, `channel`, `priority`, `assigneeId`.
 * Each is published once per cycle, also across a replay of the clocks.
 */
export const slaEvents = {
  /** A target was met in time: the clock stopped with no more than the target counted. */
  met: 'support.sla.met',
  /** 80 % of a target is used and the clock still runs (the breach job, once across nodes). */
  warning: 'support.sla.warning',
  /** A target's due time passed with the clock running, or it stopped late. */
  breached: 'support.sla.breached',
} as const;

/** Every status change, whichever of the four names it carries. */
export const conversationStatusEvents = [
  conversationEvents.statusChanged,
  conversationEvents.resolved,
  conversationEvents.reopened,
  conversationEvents.closed,
] as const;

/** The outbox name for a timeline entry: a status change says what it became. */
export function conversationEventType(timelineType: string, data: Record<string, unknown>): string {
  if (timelineType !== 'status_changed') return `support.conversation.${timelineType.replaceAll('_', '-')}`;
  if (data.to === 'resolved') return conversationEvents.resolved;
  if (data.to === 'closed') return conversationEvents.closed;
  if (data.to === 'open' && (data.from === 'resolved' || data.from === 'closed')) return conversationEvents.reopened;
  return conversationEvents.statusChanged;
}
