import { randomBytes } from 'node:crypto';
import type { StartEmailConversation, StartedEmailConversation } from '@okpay/contracts';
import { findVerifiedCustomerByEmail } from '../../identity/index.js';
import { withTransaction } from '../../platform/index.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { insertEmailConversationWithReference, insertThread } from './email.repository.js';
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
): Promise<StartedEmailConversation> {
  const address = input.to.toLowerCase();
  const customer = await findVerifiedCustomerByEmail(deps.db, address);
  const at = deps.clock.now();
  const conversation = await withTransaction(deps.pool, async (tx) => {
    const row = await insertEmailConversationWithReference(
      tx,
      {
        customerId: customer?.id ?? null,
        isVerified: customer !== undefined,
        visitorId: null,
        category: 'other',
        subject: input.subject,
        locale: input.locale ?? customer?.locale ?? deps.config.defaultLocale,
        contactName: customer?.displayName ?? null,
        contactEmail: address,
        assigneeId: actor.staffId,
        at,
      },
      () => newReference(randomBytes),
    );
    await insertThread(tx, { conversationId: row.id, replyToken: newToken(), customerAddress: address });
    await recordConversationEvent(
      tx,
      row.id,
      'created',
      actor,
      {
        channel: 'email',
        category: 'other',
        via: 'console',
        reference: row.reference,
        customerId: row.customerId,
        startedBy: actor.staffId,
      },
      at,
    );
    return row;
  });
  deps.notifier.conversationUpdated(conversation, { type: 'created', agentName: actor.name });
  await postMessage(deps, { conversation, author: actor, body: input.body });
  return { conversationId: conversation.id, reference: conversation.reference ?? '' };
}
