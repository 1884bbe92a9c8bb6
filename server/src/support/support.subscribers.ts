import type { EventSubscriptions } from '../platform/index.js';
import { emailAgentReplies } from './email/outbound/send-agent-reply.js';
import { pushConversationNews, pushedEvents } from './push/notify-customer.js';
import { clockEventTypes, trackSlaClocks } from './sla/track-sla-clocks.js';
import { conversationEvents } from './support.events.js';
import type { SupportDeps } from './support-deps.js';

/** What support does in reaction to events from the outbox. */
export function subscribeSupport(events: EventSubscriptions, deps: SupportDeps): void {
  // From now on only: the past's answers were mailed when they were written.
  events.subscribeBatch('support.email-agent-replies', [conversationEvents.messagePosted], emailAgentReplies(deps), { startAt: 'now' });
  // The phone's notifications: agent answers and resolved conversations, from now on only.
  events.subscribeBatch('support.push-notifications', pushedEvents, pushConversationNews(deps), { startAt: 'now' });
  // From the first event: the clocks are state built from the whole history (a replay rebuilds them).
  events.subscribeBatch(slaClocksSubscription, clockEventTypes, trackSlaClocks(deps));
}

export const slaClocksSubscription = 'support.sla-clocks';
