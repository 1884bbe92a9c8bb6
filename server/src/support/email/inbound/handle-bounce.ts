import { publishEvent, withTransaction } from '../../../platform/index.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import type { SupportDeps } from '../../support-deps.js';
import {
  type EmailMessage,
  findEmailMessageByBounceToken,
  findOutboundByInternetId,
  markEmailBounced,
  markUndeliverable,
} from '../email.repository.js';
import type { DecodedMail } from '../parsing/decode-mail.js';
import { isHardBounce, parseDeliveryStatus, returnedMessageId } from '../parsing/delivery-status.js';

export type BounceResult = { conversationId: string | null; hardBounced: string[] };

/**
 * A delivery report about mail we sent (RFC 3464). The message it concerns is found by the VERP
 * token in the envelope recipient, else by the returned Message-ID. A hard bounce marks the
 * address undeliverable and tells the agent in the conversation; no ticket is made from it.
 */
export async function handleBounce(deps: SupportDeps, mail: DecodedMail, bounceTokens: string[]): Promise<BounceResult> {
  const report = parseDeliveryStatus(mail.deliveryStatus ?? '');
  let original: EmailMessage | undefined;
  for (const token of bounceTokens) {
    original = await findEmailMessageByBounceToken(deps.db, token);
    if (original) break;
  }
  const returnedId = returnedMessageId(mail.returnedHeaders);
  if (!original && returnedId) original = await findOutboundByInternetId(deps.db, returnedId);
  const hard = report.recipients.filter(isHardBounce);
  const at = deps.clock.now();
  const hardBounced: string[] = [];
  const delayed = report.recipients.filter((recipient) => !isHardBounce(recipient) && ['failed', 'delayed'].includes(recipient.action));
  await withTransaction(deps.pool, async (tx) => {
    for (const recipient of hard) {
      const address = recipient.finalRecipient ?? recipient.originalRecipient ?? original?.recipient;
      if (!address) continue;
      const diagnostic = recipient.diagnosticCode ?? `${recipient.status} ${recipient.action}`;
      await markUndeliverable(tx, address, recipient.status, diagnostic, at);
      hardBounced.push(address);
      if (!original) continue;
      await markEmailBounced(tx, original.id, diagnostic);
      await recordConversationEvent(
        tx,
        original.conversationId,
        'email_bounced',
        { kind: 'system' },
        {
          address,
          status: recipient.status,
          diagnostic: diagnostic.slice(0, 300),
          emailMessageId: original.id,
        },
      );
      await publishEvent(tx, {
        type: 'support.email.bounced',
        subject: { type: 'conversation', id: original.conversationId },
        payload: { address, status: recipient.status, emailMessageId: original.id },
      });
    }
    if (original && hardBounced.length === 0 && delayed.length > 0) {
      const first = delayed[0];
      await recordConversationEvent(
        tx,
        original.conversationId,
        'email_delayed',
        { kind: 'system' },
        {
          address: first?.finalRecipient ?? original.recipient,
          status: first?.status ?? '',
          diagnostic: (first?.diagnosticCode ?? '').slice(0, 300),
          emailMessageId: original.id,
        },
      );
    }
  });
  if (original) {
    const conversation = await findConversation(deps.db, original.conversationId);
    if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'email_delivery' });
  }
  return { conversationId: original?.conversationId ?? null, hardBounced };
}
