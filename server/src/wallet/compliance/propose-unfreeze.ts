import type { UnfreezeRequest } from '@okpay/contracts';
import { publishEvent, recordAudit, type Transaction, uniqueViolation } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { findFreezeForUpdate, findPendingUnfreezeRequestId, insertUnfreezeRequest } from './compliance.repository.js';
import { getUnfreezeRequest } from './list-unfreeze-requests.js';

/** The maker's half of four-eyes: any staff member proposes lifting a freeze; someone else decides. */
export async function proposeUnfreeze(
  tx: Transaction,
  input: { freezeId: string; staffId: string; note: string; conversationId?: string; at: Date; ip: string | null },
): Promise<UnfreezeRequest> {
  const freeze = await findFreezeForUpdate(tx, input.freezeId);
  if (!freeze) throw ComplianceError('freeze_not_found');
  if (freeze.liftedAt) throw ComplianceError('freeze_already_lifted');
  const pendingId = await findPendingUnfreezeRequestId(tx, input.freezeId);
  if (pendingId) throw ComplianceError('unfreeze_request_pending', {}, { requestId: pendingId });
  let requestId: string;
  try {
    const request = await insertUnfreezeRequest(tx, {
      freezeId: input.freezeId,
      customerId: freeze.customerId,
      proposedBy: input.staffId,
      proposalNote: input.note,
      conversationId: input.conversationId ?? null,
      createdAt: input.at,
    });
    requestId = request.id;
  } catch (error) {
    // Duplicate pending submissions for the same freeze are blocked by the database as well (FINERACT-2753).
    if (uniqueViolation(error) === 'unfreeze_requests_one_pending_key') throw ComplianceError('unfreeze_request_pending');
    throw error;
  }
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staffId },
    action: 'unfreeze.proposed',
    target: { type: 'customer', id: freeze.customerId },
    ip: input.ip,
    details: { requestId, freezeId: input.freezeId, reason: freeze.reason, conversationId: input.conversationId ?? null },
  });
  await publishEvent(tx, {
    type: 'wallet.unfreeze.proposed',
    subject: { type: 'customer', id: freeze.customerId },
    payload: { requestId, freezeId: input.freezeId, customerId: freeze.customerId, proposedBy: input.staffId },
  });
  return getUnfreezeRequest(tx, requestId, input.at);
}
