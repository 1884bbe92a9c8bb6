import type { StartEmailConversation, StartedEmailConversation } from '@okpay/contracts';
import { findVerifiedCustomerByEmail } from '../../identity/index.js';
import { withTransaction } from '../../platform/index.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import type { SupportDeps } from '../support-deps.js';
import { openEmailConversation } from './open-email-conversation.js';

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
    const row = await openEmailConversation(
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
      actor,
      { via: 'console', startedBy: actor.staffId },
    );
    return row;
  });
  deps.notifier.conversationUpdated(conversation, { type: 'created', agentName: actor.name });
  await postMessage(deps, { conversation, author: actor, body: input.body });
  return { conversationId: conversation.id, reference: conversation.reference ?? '' };
}
