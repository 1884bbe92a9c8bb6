import type { CustomerConversation } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { listOwnerConversations } from './conversations.repository.js';
import { toCustomerConversation } from './customer-view.js';
import type { Participant } from './participant.js';

/** The widget's recent conversations, newest first: a customer's, or an anonymous visitor's. */
export async function listOwnConversations(
  db: Queryable,
  participant: Participant & { kind: 'customer' | 'visitor' },
): Promise<CustomerConversation[]> {
  const owner = participant.kind === 'customer' ? { customerId: participant.customerId } : { visitorId: participant.visitorId };
  const rows = await listOwnerConversations(db, owner, 20);
  return Promise.all(rows.map((row) => toCustomerConversation(db, row)));
}
