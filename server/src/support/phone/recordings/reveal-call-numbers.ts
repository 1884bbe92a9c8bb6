import type { CallbackNumber, CallNumbers } from '@okpay/contracts';
import { recordAudit } from '../../../platform/index.js';
import { getConversationFor } from '../../conversations/get-conversation.js';
import type { Participant } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { PhoneError } from '../phone.errors.js';
import { findCall, findCallback } from '../phone.repository.js';
import { RecordingError } from './recordings.errors.js';

/**
 * The numbers of a call in full, for the agent who has to dial one back. Lists show them masked;
 * this read is audited like the wallet panel (who, when, which call and customer).
 */
export async function revealCallNumbers(
  deps: Pick<SupportDeps, 'db'>,
  input: { actor: Participant & { kind: 'staff' }; callId: string; ip: string },
): Promise<CallNumbers> {
  const call = await findCall(deps.db, input.callId);
  if (!call) throw RecordingError('call_not_found');
  const conversation = await getConversationFor(deps.db, call.conversationId, input.actor);
  await recordAudit(deps.db, {
    actor: { type: 'staff', id: input.actor.staffId },
    action: 'call.numbers_viewed',
    target: { type: 'call', id: call.id },
    ip: input.ip,
    details: { conversationId: conversation.id, customerId: conversation.customerId },
  });
  return { callId: call.id, from: call.fromNumber, to: call.toNumber };
}

/** The number a callback is to be made to, in full, for the agent who makes it; audited the same way. */
export async function revealCallbackNumber(
  deps: Pick<SupportDeps, 'db'>,
  input: { actor: Participant & { kind: 'staff' }; callbackId: string; ip: string },
): Promise<CallbackNumber> {
  const callback = await findCallback(deps.db, input.callbackId);
  if (!callback) throw PhoneError('callback_not_found');
  const conversation = await getConversationFor(deps.db, callback.conversationId, input.actor);
  await recordAudit(deps.db, {
    actor: { type: 'staff', id: input.actor.staffId },
    action: 'callback.number_viewed',
    target: { type: 'callback', id: callback.id },
    ip: input.ip,
    details: { conversationId: conversation.id, customerId: callback.customerId },
  });
  return { callbackId: callback.id, number: callback.number };
}
