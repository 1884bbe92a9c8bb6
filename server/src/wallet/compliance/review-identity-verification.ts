import type { StaffVerification } from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import { publishEvent, recordAudit } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { findVerificationForUpdate, findVerificationRecord, reviewVerificationRow } from './compliance.repository.js';
import { toStaffVerification } from './list-identity-verifications.js';

/**
 * A supervisor or admin approves or rejects a pending submission. It does not lift any freeze by
 * itself: lifting still goes through the two-person unfreeze request.
 */
export async function reviewIdentityVerification(
  tx: Transaction,
  input: { id: string; staffId: string; decision: 'approved' | 'rejected'; note?: string; at: Date; ip: string | null },
): Promise<StaffVerification> {
  const current = await findVerificationForUpdate(tx, input.id);
  if (!current) throw ComplianceError('verification_not_found');
  if (current.status !== 'pending') throw ComplianceError('verification_already_reviewed');
  await reviewVerificationRow(tx, input.id, {
    status: input.decision,
    reviewedBy: input.staffId,
    reviewNote: input.note || null,
    reviewedAt: input.at,
  });
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staffId },
    action: `identity_verification.${input.decision}`,
    target: { type: 'identity_verification', id: input.id },
    ip: input.ip,
    details: { customerId: current.customerId, ...(input.note ? { note: input.note } : {}) },
  });
  await publishEvent(tx, {
    type: `wallet.identity_verification.${input.decision}`,
    subject: { type: 'customer', id: current.customerId },
    payload: { verificationId: input.id, customerId: current.customerId, reviewedBy: input.staffId },
  });
  const record = await findVerificationRecord(tx, input.id);
  if (!record) throw ComplianceError('verification_not_found');
  return toStaffVerification(record);
}
