import type { CallNumbers } from '@okpay/contracts';
import { recordAudit } from '../../../platform/index.js';
import { getConversationFor } from '../../conversations/get-conversation.js';
import type { Participant } from '../../conversations/participant.js';
import type { SupportDeps } from '../../support-deps.js';
import { findCall } from '../phone.repository.js';
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
