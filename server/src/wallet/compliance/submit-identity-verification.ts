import { randomUUID } from 'node:crypto';
import {
  findIdNumberProblem,
  type IdentityVerificationFields,
  maxIdentityDocumentBytes,
  normalizeIdNumber,
  type VerificationSubmission,
} from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import { publishEvent, recordAudit, uniqueViolation } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import { hasPendingVerification, insertVerification } from './compliance.repository.js';
import { encryptField, verificationContext } from './document-encryption.js';
import { detectDocumentType } from './image-type.js';
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
export async function submitIdentityVerification(tx: Transaction, input: VerificationUpload): Promise<VerificationSubmission> {
  const idNumber = normalizeIdNumber(input.idNumber);
  const problem = findIdNumberProblem(input.idType, idNumber, input.today);
  if (problem) throw ComplianceError(problem);
  if (input.document.length === 0) throw ComplianceError('document_missing');
  if (input.document.length > maxIdentityDocumentBytes) throw ComplianceError('document_too_large', { limit: '5 MB' });
  // The client's content type is a claim; the first bytes are the evidence.
  const mimeType = detectDocumentType(input.document);
  if (!mimeType) throw ComplianceError('document_type_not_supported');

  if (await hasPendingVerification(tx, input.customerId)) throw ComplianceError('verification_pending');

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
    await insertVerification(tx, {
      id,
      customerId: input.customerId,
      realName: row.realName,
      idType: row.idType,
      idNumberEncrypted: encryptField(key, Buffer.from(idNumber, 'utf8'), verificationContext(id, 'id_number')),
      idNumberLast4: row.idNumberLast4,
      documentEncrypted: encryptField(key, input.document, verificationContext(id, 'document')),
      documentMimeType: mimeType,
      documentSize: input.document.length,
      status: 'pending',
      submittedAt: input.at,
    });
  } catch (error) {
    // Two uploads racing: the partial unique index lets only one stay pending.
    if (uniqueViolation(error) === 'identity_verifications_one_pending_key') throw ComplianceError('verification_pending');
    throw error;
  }
  await recordAudit(tx, {
    actor: { type: 'customer', id: input.customerId },
    action: 'identity_verification.submitted',
    target: { type: 'identity_verification', id },
    ip: input.ip,
    details: { idType: input.idType, documentMimeType: mimeType, documentSize: input.document.length },
  });
  await publishEvent(tx, {
    type: 'wallet.identity_verification.submitted',
    subject: { type: 'customer', id: input.customerId },
    payload: { verificationId: id, customerId: input.customerId, idType: input.idType },
  });
  return toSubmissionView(row);
}
