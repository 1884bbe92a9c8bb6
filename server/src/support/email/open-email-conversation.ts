import { randomBytes } from 'node:crypto';
import type { Transaction } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { type EventActor, recordConversationEvent } from '../conversations/record-event.js';
import { insertEmailConversationWithReference, insertThread, type NewEmailConversation } from './email.repository.js';
import { newToken } from './email-addresses.js';
import { newReference } from './parsing/subject.js';

/**
 * A new email conversation written from our side (a message left in the widget, an agent's first
 * mail): a fresh reference, its mail thread to the contact address, and its one `created` event
 * with the channel, category, reference and customer, plus how it began (`details`).
 */
export async function openEmailConversation(
  tx: Transaction,
  input: Omit<NewEmailConversation, 'reference' | 'contactEmail'> & { contactEmail: string },
  actor: EventActor,
  details: Record<string, unknown>,
): Promise<ConversationRow> {
  const row = await insertEmailConversationWithReference(tx, input, () => newReference(randomBytes));
  await insertThread(tx, { conversationId: row.id, replyToken: newToken(), customerAddress: input.contactEmail });
  await recordConversationEvent(
    tx,
    row.id,
    'created',
    actor,
    { channel: 'email', category: input.category, ...details, reference: row.reference, customerId: row.customerId },
    input.at,
  );
  return row;
}
