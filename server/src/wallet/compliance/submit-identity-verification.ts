import { randomUUID } from 'node:crypto';
import {
  findIdNumberProblem,
  type IdentityVerificationFields,
  maxIdentityDocumentBytes,
  normalizeIdNumber,
  type VerificationSubmission,
} from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { ComplianceError } from './compliance.errors.js';
import { encryptField, verificationContext } from './document-encryption.js';
import { detectImageType } from './image-type.js';
import { toSubmissionView } from './verification-status.js';

export type VerificationUpload = IdentityVerificationFields & {
  customerId: string;
  document: Buffer;
  /** The customer's calendar day (YYYY-MM-DD); a birth date after it is refused. */
  today: string;
  at: Date;
  encryptionKey: Buffer;
  ip: string | null;
};

/**
 * Stores a customer's identity documents for review. The ID number and the image are encrypted
 * before they reach the database; only the last four characters of the number stay readable.
 */
export async function submitIdentityVerification(tx: Tx, input: VerificationUpload): Promise<VerificationSubmission> {
  const idNumber = normalizeIdNumber(input.idNumber);
  const problem = findIdNumberProblem(input.idType, idNumber, input.today);
  if (problem) throw ComplianceError(problem);
  if (input.document.length === 0) throw ComplianceError('document_missing');
  if (input.document.length > maxIdentityDocumentBytes) throw ComplianceError('document_too_large', { limit: '5 MB' });
  // The client's content type is a claim; the first bytes are the evidence.
  const mimeType = detectImageType(input.document);
  if (!mimeType) throw ComplianceError('document_type_not_supported');

  const pending = await tx.client.query("SELECT 1 FROM identity_verifications WHERE customer_id = $1 AND status = 'pending' LIMIT 1", [
    input.customerId,
  ]);
  if ((pending.rowCount ?? 0) > 0) throw ComplianceError('verification_pending');

  const id = randomUUID();
  const key = input.encryptionKey;
  const row = {
    id,
    realName: input.realName,
    idType: input.idType,
    idNumberLast4: idNumber.slice(-4),
    status: 'pending' as const,
    submittedAt: input.at,
    reviewedAt: null,
  };
  try {
    await tx.client.query(
      `INSERT INTO identity_verifications
         (id, customer_id, real_name, id_type, id_number_encrypted, id_number_last4, document_encrypted, document_mime_type,
          document_size, status, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)`,
      [
        id,
        input.customerId,
        row.realName,
        row.idType,
        encryptField(key, Buffer.from(idNumber, 'utf8'), verificationContext(id, 'id_number')),
        row.idNumberLast4,
        encryptField(key, input.document, verificationContext(id, 'document')),
        mimeType,
        input.document.length,
        input.at,
      ],
    );
  } catch (error) {
    // Two uploads racing: the partial unique index lets only one stay pending.
    if (uniqueViolation(error) === 'identity_verifications_one_pending_key') throw ComplianceError('verification_pending');
    throw error;
  }
  await recordAudit(tx.db, {
    actor: { type: 'customer', id: input.customerId },
    action: 'identity_verification.submitted',
    target: { type: 'identity_verification', id },
    ip: input.ip,
    details: { idType: input.idType, documentMimeType: mimeType, documentSize: input.document.length },
  });
  await publishEvent(tx.client, {
    type: 'wallet.identity_verification.submitted',
    subject: { type: 'customer', id: input.customerId },
    payload: { verificationId: id, customerId: input.customerId, idType: input.idType },
  });
  return toSubmissionView(row);
}
