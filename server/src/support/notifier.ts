import type { ChatMessage, PresenceStatus, QueueInfo, SlaAlert, SlaClock } from '@okpay/contracts';
import type { ConversationRow } from './conversations/conversations.repository.js';

/**
 * How use cases tell connected clients about committed changes. The realtime module implements
 * it with Socket.IO rooms; every call happens after the change commits.
 */
export type Notifier = {
  /** `exceptSocket`: the sender's connection, which hears of its message in the answer to its send. */
  messageCreated(conversation: Pick<ConversationRow, 'id' | 'assigneeId'>, message: ChatMessage, exceptSocket?: string): void;
  conversationUpdated(conversation: ConversationRow, change: { type: string; agentName?: string | null }): void;
  queueChanged(positions: Array<{ conversation: ConversationRow; queue: QueueInfo }>): void;
  readReceipt(conversation: ConversationRow, reader: { type: string; id: string }, seq: number): void;
  presenceChanged(staffId: string, status: PresenceStatus): void;
  /** A conversation's SLA clocks changed (staff only). */
  slaChanged(conversation: Pick<ConversationRow, 'id' | 'assigneeId'>, clocks: SlaClock[]): void;
  /** Targets past their warning share or breached: to each assignee (every agent while unassigned) and supervisors. */
  slaAlerts(alerts: SlaAlert[]): void;
};

export const silentNotifier: Notifier = {
  messageCreated: () => undefined,
  conversationUpdated: () => undefined,
  queueChanged: () => undefined,
  readReceipt: () => undefined,
  presenceChanged: () => undefined,
  slaChanged: () => undefined,
  slaAlerts: () => undefined,
};

/** A notifier use cases can hold before the socket server exists; it forwards once connected. */
export function relayNotifier(): Notifier & { connect(target: Notifier): void } {
  let target: Notifier = silentNotifier;
  return {
    connect: (next) => {
      target = next;
    },
    messageCreated: (conversation, message, exceptSocket) => target.messageCreated(conversation, message, exceptSocket),
    conversationUpdated: (conversation, change) => target.conversationUpdated(conversation, change),
    queueChanged: (positions) => target.queueChanged(positions),
    readReceipt: (conversation, reader, seq) => target.readReceipt(conversation, reader, seq),
    presenceChanged: (staffId, status) => target.presenceChanged(staffId, status),
    slaChanged: (conversation, clocks) => target.slaChanged(conversation, clocks),
    slaAlerts: (alerts) => target.slaAlerts(alerts),
  };
}
