import type { StaffVerification } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { ComplianceError } from './compliance.errors.js';
import { type StaffVerificationRow, staffVerificationSelect, toStaffVerification } from './list-identity-verifications.js';

/**
 * A supervisor or admin approves or rejects a pending submission. It does not lift any freeze by
 * itself: lifting still goes through the two-person unfreeze request.
 */
export async function reviewIdentityVerification(
  tx: Tx,
  input: { id: string; staffId: string; decision: 'approved' | 'rejected'; note?: string; at: Date; ip: string | null },
): Promise<StaffVerification> {
  const current = await tx.client.query<{ customer_id: string; status: string }>(
    'SELECT customer_id, status FROM identity_verifications WHERE id = $1 FOR UPDATE',
    [input.id],
  );
  const row = current.rows[0];
  if (!row) throw ComplianceError('verification_not_found');
  if (row.status !== 'pending') throw ComplianceError('verification_already_reviewed');
  await tx.client.query(
    'UPDATE identity_verifications SET status = $2, reviewed_by = $3, review_note = $4, reviewed_at = $5 WHERE id = $1',
    [input.id, input.decision, input.staffId, input.note || null, input.at],
  );
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staffId },
    action: `identity_verification.${input.decision}`,
    target: { type: 'identity_verification', id: input.id },
    ip: input.ip,
    details: { customerId: row.customer_id, ...(input.note ? { note: input.note } : {}) },
  });
  await publishEvent(tx.client, {
    type: `wallet.identity_verification.${input.decision}`,
    subject: { type: 'customer', id: row.customer_id },
    payload: { verificationId: input.id, customerId: row.customer_id, reviewedBy: input.staffId },
  });
  const updated = await tx.client.query<StaffVerificationRow>(`${staffVerificationSelect} WHERE v.id = $1`, [input.id]);
  const view = updated.rows[0];
  if (!view) throw ComplianceError('verification_not_found');
  return toStaffVerification(view);
}
