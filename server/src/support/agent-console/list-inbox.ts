import { type Inbox, type InboxItem, type InboxQuery, type SlaClock, slaSummaryOf } from '@okpay/contracts';
import type { Clock } from '../../platform/index.js';
import type { HoursDeps } from '../hours/support-hours.js';
import { slaClocksOf } from '../sla/sla-clocks-of.js';
import { countInbox, type InboxRecord, listInboxRecords } from './agent-console.repository.js';

function toInboxItem(record: InboxRecord, clocks: readonly SlaClock[]): InboxItem {
  return {
    id: record.id,
    status: record.status,
    category: record.category,
    channel: record.channel,
    priority: record.priority,
    isVerified: record.isVerified,
    isOfflineMessage: record.isOfflineMessage,
    customer: {
      id: record.customerId,
      name: record.customerName ?? record.contactName,
      email: record.customerEmail ?? record.contactEmail,
    },
    assigneeId: record.assigneeId,
    assigneeName: record.assigneeName,
    lastMessage:
      record.lastBody !== null && record.lastAt
        ? { body: record.lastBody.slice(0, 140), authorType: record.lastAuthorType ?? '', at: record.lastAt.toISOString() }
        : null,
    unread: record.unread,
    waitingSince: record.waitingSince?.toISOString() ?? null,
    subject: record.subject,
    reference: record.reference,
    responseDueAt: record.status === 'open' || record.status === 'pending' ? (record.responseDueAt?.toISOString() ?? null) : null,
    sla: slaSummaryOf(clocks),
    // Last activity: a message or a change of state, whichever came later.
    updatedAt: (record.lastMessageAt && record.lastMessageAt > record.updatedAt ? record.lastMessageAt : record.updatedAt).toISOString(),
    createdAt: record.createdAt.toISOString(),
  };
}

/**
 * The agent's inbox: mine, unassigned or all, with filters and search by customer email, phone,
 * name, subject, ticket reference or message text, and the unread totals for the badges.
 */
export async function listInbox(deps: HoursDeps & { clock: Clock }, staffId: string, filters: InboxQuery): Promise<Inbox> {
  const [records, counts] = await Promise.all([listInboxRecords(deps.db, staffId, filters), countInbox(deps.db, staffId)]);
  const clocks = await slaClocksOf(deps, records);
  return { conversations: records.map((record) => toInboxItem(record, clocks.get(record.id) ?? [])), counts };
}
