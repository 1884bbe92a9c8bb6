import { reasonsNeedingVerification, type UnfreezeRequest } from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import { publishEvent, recordAudit, sqlState } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { decideUnfreezeRequestRow, findUnfreezeRequestForDecision, hasApprovedVerification } from './compliance.repository.js';
import { liftFreeze } from './freeze-customer.js';
import { getUnfreezeRequest } from './list-unfreeze-requests.js';

/**
 * The checker's half of four-eyes. The caller has checked the role (supervisor or admin); here the
 * checker must differ from the maker, and approval lifts the freeze in the same transaction.
 */
export async function decideUnfreezeRequest(
  tx: Transaction,
  input: { requestId: string; staffId: string; decision: 'approved' | 'rejected'; note: string; at: Date; ip: string | null },
): Promise<UnfreezeRequest> {
  // Locking the request and its freeze serialises two checkers deciding at once.
  const found = await findUnfreezeRequestForDecision(tx, input.requestId);
  if (!found) throw ComplianceError('unfreeze_request_not_found');
  const { request, freeze } = found;
  if (request.status !== 'pending') throw ComplianceError('unfreeze_request_already_decided');
  // Maker ≠ checker; the unfreeze_requests_four_eyes CHECK enforces the same below this line.
  if (request.proposedBy === input.staffId) throw ComplianceError('four_eyes_required');

  let isStillFrozen = true;
  if (input.decision === 'approved') {
    if (freeze.liftedAt) throw ComplianceError('freeze_already_lifted');
    // Suspicious activity or unverified large inflow: lift only once the customer has proven who they are.
    if (reasonsNeedingVerification.includes(freeze.reason) && !(await hasApprovedVerification(tx, request.customerId))) {
      throw ComplianceError('verification_required');
    }
  }

  try {
    await decideUnfreezeRequestRow(tx, input.requestId, {
      status: input.decision,
      decidedBy: input.staffId,
      decisionNote: input.note,
      decidedAt: input.at,
    });
  } catch (error) {
    if (sqlState(error) === '23514' && String((error as { constraint?: string }).constraint) === 'unfreeze_requests_four_eyes') {
      throw ComplianceError('four_eyes_required');
    }
    throw error;
  }
  if (input.decision === 'approved') {
    ({ isStillFrozen } = await liftFreeze(tx, { freezeId: request.freezeId, requestId: input.requestId, at: input.at }));
  }

  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staffId },
    action: `unfreeze.${input.decision}`,
    target: { type: 'customer', id: request.customerId },
    ip: input.ip,
    details: {
      requestId: input.requestId,
      freezeId: request.freezeId,
      reason: freeze.reason,
      proposedBy: request.proposedBy,
      isStillFrozen,
    },
  });
  await publishEvent(tx, {
    type: `wallet.unfreeze.${input.decision}`,
    subject: { type: 'customer', id: request.customerId },
    payload: { requestId: input.requestId, freezeId: request.freezeId, customerId: request.customerId, decidedBy: input.staffId },
  });
  return getUnfreezeRequest(tx, input.requestId, input.at);
}
