import type { StaffAuth } from '../../identity/index.js';
import type { Transaction } from '../../platform/index.js';
import { recordAudit } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { findVerification } from './compliance.repository.js';
import { decryptField, verificationContext } from './document-encryption.js';
import { assertChecker } from './refusal-audit.js';

/**
 * Decrypts a submitted identity document for a supervisor or admin. Every view is audit-logged in
 * the same transaction, so a document is never shown without its record (FATF R.11 CDD records).
 */
export async function readVerificationDocument(
  tx: Transaction,
  input: { id: string; staff: Pick<StaffAuth, 'staffId' | 'role'>; encryptionKey: Buffer; ip: string | null },
): Promise<{ bytes: Buffer; mimeType: string }> {
  assertChecker(input.staff);
  const row = await findVerification(tx, input.id);
  if (!row) throw ComplianceError('verification_not_found');
  const bytes = decryptField(input.encryptionKey, row.documentEncrypted, verificationContext(input.id, 'document'));
  await recordAudit(tx, {
    actor: { type: 'staff', id: input.staff.staffId },
    action: 'identity_verification.document_viewed',
    target: { type: 'identity_verification', id: input.id },
    ip: input.ip,
    details: { customerId: row.customerId, documentMimeType: row.documentMimeType },
  });
  return { bytes, mimeType: row.documentMimeType };
}
