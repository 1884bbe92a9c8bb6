import type { EventSubscriptions } from '../platform/event-dispatcher.js';
import { emailOfflineReply } from './conversations/email-offline-reply.js';
import { conversationEvents } from './support.events.js';

/** What support does in reaction to events from the outbox. */
export function subscribeSupport(events: EventSubscriptions): void {
  // From now on only: the past's answers were mailed when they were written.
  events.subscribe('support.offline-reply-email', [conversationEvents.messagePosted], emailOfflineReply, { startAt: 'now' });
}
