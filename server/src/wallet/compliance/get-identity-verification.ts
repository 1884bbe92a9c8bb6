import type { StaffVerificationDetail } from '@okpay/contracts';
import type { StaffAuth } from '../../identity/index.js';
import type { Transaction } from '../../platform/index.js';
import { recordAudit } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { findVerification, findVerificationRecord } from './compliance.repository.js';
import { decryptField, verificationContext } from './document-encryption.js';
import { toStaffVerification } from './list-identity-verifications.js';
import { isChecker } from './refusal-audit.js';

/**
 * One submission for review. Only supervisors and admins get the full ID number, and each time
 * they do it is written to the audit log; agents see the last four characters and the status.
 */
export async function getIdentityVerification(
  tx: Transaction,
  input: { id: string; staff: Pick<StaffAuth, 'staffId' | 'role'>; encryptionKey: Buffer; ip: string | null },
): Promise<StaffVerificationDetail> {
  const record = await findVerificationRecord(tx, input.id);
  if (!record) throw ComplianceError('verification_not_found');
  const view = toStaffVerification(record);
  if (!isChecker(input.staff)) return { ...view, idNumber: null, documentUrl: null };
  const sealed = await findVerification(tx, input.id);
  const encrypted = sealed?.idNumberEncrypted ?? Buffer.alloc(0);
  const idNumber = decryptField(input.encryptionKey, encrypted, verificationContext(input.id, 'id_number')).toString('utf8');
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staff.staffId },
    action: 'identity_verification.id_number_viewed',
    target: { type: 'identity_verification', id: input.id },
    ip: input.ip,
    details: { customerId: record.verification.customerId },
  });
  return { ...view, idNumber, documentUrl: `/api/agent/verifications/${input.id}/document` };
}
