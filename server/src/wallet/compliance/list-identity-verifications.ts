import type { StaffVerification, VerificationQueueQuery } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { listVerificationRecords, type VerificationRecord } from './compliance.repository.js';
import { maskIdNumber } from './verification-status.js';

/** Everything staff may see of a submission except the encrypted columns. */
export function toStaffVerification({ verification, customer, reviewerName }: VerificationRecord): StaffVerification {
  return {
    id: verification.id,
    customer: { id: verification.customerId, displayName: customer.displayName, email: customer.email },
    realName: verification.realName,
    idType: verification.idType,
    idNumberMasked: maskIdNumber(verification.idNumberLast4),
    document: { mimeType: verification.documentMimeType, size: verification.documentSize },
    status: verification.status,
    submittedAt: verification.submittedAt.toISOString(),
    reviewedAt: verification.reviewedAt?.toISOString() ?? null,
    reviewedBy: verification.reviewedBy ? { id: verification.reviewedBy, displayName: reviewerName ?? '' } : null,
    reviewNote: verification.reviewNote,
  };
}

/** The review queue: pending submissions oldest first (first in, first reviewed); decided ones newest first. */
export async function listIdentityVerifications(db: Queryable, query: VerificationQueueQuery): Promise<StaffVerification[]> {
  return (await listVerificationRecords(db, query)).map(toStaffVerification);
}
