import type { StaffVerificationDetail } from '@okpay/contracts';
import type { StaffAuth } from '../../identity/index.js';
import { recordAudit } from '../../platform/audit.js';
import type { Tx } from '../../platform/db/transaction.js';
import { ComplianceError } from './compliance.errors.js';
import { decryptField, verificationContext } from './document-encryption.js';
import { type StaffVerificationRow, staffVerificationSelect, toStaffVerification } from './list-identity-verifications.js';
import { isChecker } from './refusal-audit.js';

/**
 * One submission for review. Only supervisors and admins get the full ID number, and each time
 * they do it is written to the audit log; agents see the last four characters and the status.
 */
export async function getIdentityVerification(
  tx: Tx,
  input: { id: string; staff: Pick<StaffAuth, 'staffId' | 'role'>; encryptionKey: Buffer; ip: string | null },
): Promise<StaffVerificationDetail> {
  const result = await tx.client.query<StaffVerificationRow>(`${staffVerificationSelect} WHERE v.id = $1`, [input.id]);
  const row = result.rows[0];
  if (!row) throw ComplianceError('verification_not_found');
  const view = toStaffVerification(row);
  if (!isChecker(input.staff)) return { ...view, idNumber: null, documentUrl: null };
  const sealed = await tx.client.query<{ id_number_encrypted: Buffer }>(
    'SELECT id_number_encrypted FROM identity_verifications WHERE id = $1',
    [row.id],
  );
  const encrypted = sealed.rows[0]?.id_number_encrypted ?? Buffer.alloc(0);
  const idNumber = decryptField(input.encryptionKey, encrypted, verificationContext(row.id, 'id_number')).toString('utf8');
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staff.staffId },
    action: 'identity_verification.id_number_viewed',
    target: { type: 'identity_verification', id: row.id },
    ip: input.ip,
    details: { customerId: row.customer_id },
  });
  return { ...view, idNumber, documentUrl: `/api/agent/verifications/${row.id}/document` };
}
