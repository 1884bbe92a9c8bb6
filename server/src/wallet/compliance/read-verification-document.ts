import type { StaffAuth } from '../../identity/index.js';
import { recordAudit } from '../../platform/audit.js';
import type { Tx } from '../../platform/db/transaction.js';
import { ComplianceError } from './compliance.errors.js';
import { decryptField, verificationContext } from './document-encryption.js';
import { assertChecker } from './refusal-audit.js';

/**
 * Decrypts a submitted identity document for a supervisor or admin. Every view is audit-logged in
 * the same transaction, so a document is never shown without its record (FATF R.11 CDD records).
 */
export async function readVerificationDocument(
  tx: Tx,
  input: { id: string; staff: Pick<StaffAuth, 'staffId' | 'role'>; encryptionKey: Buffer; ip: string | null },
): Promise<{ bytes: Buffer; mimeType: string }> {
  assertChecker(input.staff);
  const result = await tx.client.query<{ customer_id: string; document_encrypted: Buffer; document_mime_type: string }>(
    'SELECT customer_id, document_encrypted, document_mime_type FROM identity_verifications WHERE id = $1',
    [input.id],
  );
  const row = result.rows[0];
  if (!row) throw ComplianceError('verification_not_found');
  const bytes = decryptField(input.encryptionKey, row.document_encrypted, verificationContext(input.id, 'document'));
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staff.staffId },
    action: 'identity_verification.document_viewed',
    target: { type: 'identity_verification', id: input.id },
    ip: input.ip,
    details: { customerId: row.customer_id, documentMimeType: row.document_mime_type },
  });
  return { bytes, mimeType: row.document_mime_type };
}
