import { type FreezeReason, reasonsNeedingVerification, type UnfreezeRequest } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { sqlState } from '../../platform/db/errors.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { ComplianceError } from './compliance.errors.js';
import { liftFreeze } from './freeze-customer.js';
import { getUnfreezeRequest } from './list-unfreeze-requests.js';

/**
 * The checker's half of four-eyes. The caller has checked the role (supervisor or admin); here the
 * checker must differ from the maker, and approval lifts the freeze in the same transaction.
 */
export async function decideUnfreezeRequest(
  tx: Tx,
  input: { requestId: string; staffId: string; decision: 'approved' | 'rejected'; note: string; at: Date; ip: string | null },
): Promise<UnfreezeRequest> {
  // Locking the request and its freeze serialises two checkers deciding at once.
  const found = await tx.client.query<{
    freeze_id: string;
    customer_id: string;
    proposed_by: string;
    status: string;
    reason: FreezeReason;
    lifted_at: Date | null;
  }>(
    `SELECT r.freeze_id, r.customer_id, r.proposed_by, r.status, f.reason, f.lifted_at
     FROM unfreeze_requests r JOIN customer_freezes f ON f.id = r.freeze_id
     WHERE r.id = $1 FOR UPDATE OF r, f`,
    [input.requestId],
  );
  const request = found.rows[0];
  if (!request) throw ComplianceError('unfreeze_request_not_found');
  if (request.status !== 'pending') throw ComplianceError('unfreeze_request_already_decided');
  // Maker ≠ checker; the unfreeze_requests_four_eyes CHECK enforces the same below this line.
  if (request.proposed_by === input.staffId) throw ComplianceError('four_eyes_required');

  let isStillFrozen = true;
  if (input.decision === 'approved') {
    if (request.lifted_at) throw ComplianceError('freeze_already_lifted');
    // Suspicious activity or unverified large inflow: lift only once the customer has proven who they are.
    if (reasonsNeedingVerification.includes(request.reason)) {
      const verified = await tx.client.query(
        "SELECT 1 FROM identity_verifications WHERE customer_id = $1 AND status = 'approved' LIMIT 1",
        [request.customer_id],
      );
      if ((verified.rowCount ?? 0) === 0) throw ComplianceError('verification_required');
    }
  }

  try {
    await tx.client.query('UPDATE unfreeze_requests SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5 WHERE id = $1', [
      input.requestId,
      input.decision,
      input.staffId,
      input.note,
      input.at,
    ]);
  } catch (error) {
    if (sqlState(error) === '23514' && String((error as { constraint?: string }).constraint) === 'unfreeze_requests_four_eyes') {
      throw ComplianceError('four_eyes_required');
    }
    throw error;
  }
  if (input.decision === 'approved') {
    ({ isStillFrozen } = await liftFreeze(tx, { freezeId: request.freeze_id, requestId: input.requestId, at: input.at }));
  }

  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staffId },
    action: `unfreeze.${input.decision}`,
    target: { type: 'customer', id: request.customer_id },
    ip: input.ip,
    details: {
      requestId: input.requestId,
      freezeId: request.freeze_id,
      reason: request.reason,
      proposedBy: request.proposed_by,
      isStillFrozen,
    },
  });
  await publishEvent(tx.client, {
    type: `wallet.unfreeze.${input.decision}`,
    subject: { type: 'customer', id: request.customer_id },
    payload: { requestId: input.requestId, freezeId: request.freeze_id, customerId: request.customer_id, decidedBy: input.staffId },
  });
  return getUnfreezeRequest(tx.client, input.requestId, input.at);
}
