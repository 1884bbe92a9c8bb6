import { findConversation } from '../../conversations/conversations.repository.js';
import type { Participant } from '../../conversations/participant.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import type { SupportDeps } from '../../support-deps.js';
import { EmailError } from '../email.errors.js';
import { findEmailMessage, requeueEmailMessage } from '../email.repository.js';
import { dispatchOutgoing } from './queue-email.js';

/** An agent sends a failed or bounced mail again, after the cause was fixed. */
export async function retryEmail(deps: SupportDeps, actor: Participant & { kind: 'staff' }, emailMessageId: string): Promise<void> {
  const existing = await findEmailMessage(deps.db, emailMessageId);
  if (existing?.direction !== 'outbound') throw EmailError('email_message_not_found');
  const requeued = await requeueEmailMessage(deps.db, emailMessageId);
  if (!requeued) throw EmailError('email_not_retryable');
  await recordConversationEvent(deps.db, requeued.conversationId, 'email_resent', actor, {
    emailMessageId,
    recipient: requeued.recipient,
  });
  await dispatchOutgoing(deps, emailMessageId);
  const conversation = await findConversation(deps.db, requeued.conversationId);
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'email_delivery' });
}
