import type { ConversationCategory, Locale } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import type { SupportDeps } from '../support-deps.js';
import { findThread } from './email.repository.js';
import { requestRouting } from './email-context.js';
import { openEmailConversation } from './open-email-conversation.js';
import { dispatchOutgoing } from './outbound/queue-email.js';
import { recordAcknowledgement } from './outbound/send-acknowledgement.js';

export type OfflineMessage = {
  customer: { customerId: string; name: string } | null;
  email: string;
  name: string | null;
  category: ConversationCategory;
  message: string;
  locale: Locale;
};

/** The first line of the message, short enough for a subject. */
function subjectFrom(message: string): string {
  const line = message.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * A message left in the widget while nobody was online becomes an email conversation: it is
 * acknowledged by mail with its reference and the promise, and the agent's answer arrives as mail
 * the customer can reply to. A signed-in customer is verified by their session.
 */
export async function leaveOfflineMessage(deps: SupportDeps, input: OfflineMessage): Promise<ConversationRow> {
  const at = deps.clock.now();
  const address = input.email.toLowerCase();
  const { conversation, acknowledgementId } = await withTransaction(deps.pool, async (tx) => {
    const row = await openEmailConversation(
      tx,
      {
        customerId: input.customer?.customerId ?? null,
        isVerified: input.customer !== null,
        visitorId: null,
        category: input.category,
        subject: subjectFrom(input.message),
        locale: input.locale,
        contactName: input.name ?? input.customer?.name ?? null,
        contactEmail: address,
        assigneeId: null,
        isOfflineMessage: true,
        at,
      },
      { kind: 'system' },
      { offline: true, via: 'offline_form' },
    );
    const thread = await findThread(tx, row.id);
    const acknowledgement = thread
      ? await recordAcknowledgement(deps, tx, {
          thread,
          recipient: address,
          subject: row.subject ?? '',
          inReplyTo: null,
          references: [],
        })
      : null;
    return { conversation: row, acknowledgementId: acknowledgement };
  });
  const author: Participant = input.customer
    ? { kind: 'customer', customerId: input.customer.customerId, name: input.name ?? input.customer.name }
    : { kind: 'visitor', visitorId: address, name: input.name };
  await postMessage(deps, { conversation, author, body: input.message });
  deps.notifier.conversationUpdated(conversation, { type: 'created' });
  if (acknowledgementId) await dispatchOutgoing(deps, acknowledgementId);
  void requestRouting(deps);
  return conversation;
}
