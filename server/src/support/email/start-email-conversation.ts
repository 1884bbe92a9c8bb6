import { randomBytes } from 'node:crypto';
import type { StartEmailConversation } from '@okpay/contracts';
import { withTransaction } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import type { ConversationRow } from '../conversations/conversation-row.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { findVerifiedCustomer, insertEmailConversation, insertThread } from './email.repository.js';
import { newToken } from './email-addresses.js';
import { newReference } from './parsing/subject.js';

/**
 * An agent writes to a customer first, from the console: a new email conversation, theirs, whose
 * first message goes out as mail. A verified customer email links the customer's wallet.
 */
export async function startEmailConversation(
  deps: SupportDeps,
  actor: Participant & { kind: 'staff' },
  input: StartEmailConversation,
): Promise<ConversationRow> {
  const address = input.to.toLowerCase();
  const customer = await findVerifiedCustomer(deps.pool, address);
  const at = deps.clock.now();
  const conversation = await withTransaction(deps.pool, async (tx) => {
    let row: ConversationRow | undefined;
    for (let attempt = 0; attempt < 5 && !row; attempt++) {
      row = await insertEmailConversation(tx.client, {
        customerId: customer?.id ?? null,
        isVerified: customer !== undefined,
        visitorId: null,
        category: 'other',
        subject: input.subject,
        locale: input.locale ?? customer?.locale ?? deps.config.defaultLocale,
        contactName: customer?.display_name ?? null,
        contactEmail: address,
        reference: newReference(randomBytes),
        responseDueAt: null,
        assigneeId: actor.staffId,
        at,
      });
    }
    if (!row) throw new Error('no free conversation reference after 5 draws');
    await insertThread(tx.client, { conversationId: row.id, replyToken: newToken(), customerAddress: address });
    await recordConversationEvent(tx.client, row.id, 'created', actor, { channel: 'email', category: 'other', via: 'console' }, at);
    await publishEvent(tx.client, {
      type: 'support.conversation.created',
      subject: { type: 'conversation', id: row.id },
      payload: { channel: 'email', reference: row.reference, customerId: row.customer_id, startedBy: actor.staffId },
    });
    return row;
  });
  deps.notifier.conversationUpdated(conversation, { type: 'created', agentName: actor.name });
  await postMessage(deps, { conversation, author: actor, body: input.body });
  return conversation;
}
