import type { ConversationCategory, LinkedObject, Locale } from '@okpay/contracts';
import { holdTransactionLock, type Transaction, withTransaction } from '../../platform/index.js';
import { hasCustomerObject } from '../../wallet/index.js';
import { routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import {
  type ConversationRow,
  findConversation,
  findLiveChat,
  insertConversation,
  insertConversationLink,
} from './conversations.repository.js';
import type { Participant } from './participant.js';
import { postMessage } from './post-message.js';
import { recordConversationEvent } from './record-event.js';

/** A customer may link only their own wallet objects; visitors cannot link any. */
export async function assertLinksOwned(tx: Transaction, participant: Participant, links: LinkedObject[]): Promise<void> {
  for (const link of links) {
    if (participant.kind !== 'customer' || !(await hasCustomerObject(tx, participant.customerId, link)))
      throw SupportError('link_not_found');
  }
}

export type StartInput = {
  participant: Participant & { kind: 'customer' | 'visitor' };
  category: ConversationCategory;
  links: LinkedObject[];
  message?: string;
  clientMessageId?: string;
  locale: Locale;
};

/**
 * Opens a chat (or continues the customer's open one, adding any new links), puts it in the
 * queue and routes it. The first message, if any, is posted like every other.
 */
export async function startConversation(deps: SupportDeps, input: StartInput): Promise<{ conversation: ConversationRow; isNew: boolean }> {
  const at = deps.clock.now();
  const owner =
    input.participant.kind === 'customer' ? { customerId: input.participant.customerId } : { visitorId: input.participant.visitorId };
  const { conversation, isNew, linked } = await withTransaction(deps.pool, async (tx) => {
    await assertLinksOwned(tx, input.participant, input.links);
    // One live chat per customer: starting again continues it (serialised per owner by this lock).
    await holdTransactionLock(tx, `chat:${'customerId' in owner ? owner.customerId : owner.visitorId}`);
    let row = await findLiveChat(tx, owner);
    const created = !row;
    if (!row) {
      row = await insertConversation(tx, {
        customerId: input.participant.kind === 'customer' ? input.participant.customerId : null,
        visitorId: input.participant.kind === 'visitor' ? input.participant.visitorId : null,
        isVerified: input.participant.kind === 'customer',
        channel: 'chat',
        status: 'open',
        category: input.category,
        locale: input.locale,
        contactName: input.participant.name,
        waitingSince: at,
        createdAt: at,
        updatedAt: at,
      });
      await recordConversationEvent(tx, row.id, 'created', input.participant, { category: input.category, channel: 'chat' }, at);
    }
    let added = 0;
    for (const link of input.links) {
      if (await insertConversationLink(tx, { conversationId: row.id, objectType: link.type, objectId: link.id })) {
        added += 1;
        await recordConversationEvent(tx, row.id, 'linked', input.participant, { ...link }, at);
      }
    }
    return { conversation: row, isNew: created, linked: added };
  });
  if (input.message) {
    await postMessage(deps, { conversation, author: input.participant, body: input.message, clientMessageId: input.clientMessageId });
  }
  if (isNew) await routeWaiting(deps);
  // A customer coming back about another top-up: the agent on the chat should see the new link.
  else if (linked > 0) deps.notifier.conversationUpdated(conversation, { type: 'linked' });
  return { conversation: (await findConversation(deps.db, conversation.id)) ?? conversation, isNew };
}
