import type { CannedResponse, Locale } from '@okpay/contracts';
import { findCustomerById } from '../../identity/index.js';
import type { Queryable } from '../../platform/index.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import type { Participant } from '../conversations/participant.js';
import { listCannedResponseRows } from './agent-console.repository.js';

/**
 * Canned responses matching the search, the agent's language first, with {{customer.name}} and
 * {{agent.name}} filled in for the conversation the agent is answering.
 */
export async function listCannedResponses(
  db: Queryable,
  input: { actor: Participant & { kind: 'staff' }; conversationId?: string; q?: string; locale: Locale },
): Promise<CannedResponse[]> {
  let customerName = '';
  if (input.conversationId) {
    const conversation = await getConversationFor(db, input.conversationId, input.actor);
    const customer = conversation.customerId ? await findCustomerById(db, conversation.customerId) : undefined;
    customerName = customer?.displayName ?? conversation.contactName ?? '';
  }
  const rows = await listCannedResponseRows(db, { q: input.q, locale: input.locale });
  return rows.map((row) => ({
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body.replaceAll('{{customer.name}}', customerName).replaceAll('{{agent.name}}', input.actor.name),
    locale: row.locale,
    category: row.category,
  }));
}
