import { z } from 'zod';

/** Why an account is frozen. The customer reads a text per reason, never the staff member's note. */
export const freezeReasons = ['abnormal_activity', 'identity_unverified', 'policy_violation', 'customer_request'] as const;
export const freezeReasonSchema = z.enum(freezeReasons);
export type FreezeReason = z.infer<typeof freezeReasonSchema>;

/** Lifting a freeze for these reasons needs an approved identity verification first. */
export const reasonsNeedingVerification: readonly FreezeReason[] = ['abnormal_activity', 'identity_unverified'];

export const idTypes = ['resident_id', 'passport'] as const;
export const idTypeSchema = z.enum(idTypes);
export type IdType = z.infer<typeof idTypeSchema>;

export const verificationStatuses = ['pending', 'approved', 'rejected'] as const;
export const verificationStatusSchema = z.enum(verificationStatuses);
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;

/** A customer is `verified` once any submission was approved, whatever came after. */
export const verificationLevels = ['unverified', 'pending', 'verified', 'rejected'] as const;
export const verificationLevelSchema = z.enum(verificationLevels);
export type VerificationLevel = z.infer<typeof verificationLevelSchema>;

export const identityDocumentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const maxIdentityDocumentBytes = 5 * 1024 * 1024;

// ---- ID numbers ---------------------------------------------------------------------------------

export type IdNumberProblem =
  | 'resident_id_format_invalid'
  | 'resident_id_birth_date_invalid'
  | 'resident_id_checksum_invalid'
  | 'passport_number_invalid';

/** Spaces and dashes people type are dropped; a lowercase x or passport letter is uppercased. */
export function normalizeIdNumber(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

const residentIdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentIdCheckCharacters = '10X98765432';

/** The check character of the first 17 digits of a resident ID (GB 11643-1999, ISO 7064 MOD 11-2). */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (residentIdWeights[index] ?? 0);
  return residentIdCheckCharacters[sum % 11] ?? '';
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Finds what is wrong with a normalized ID number, or undefined when it passes.
 * Resident ID (GB 11643): 18 characters, the first 1–9, 17 digits then a digit or X; digits 7–14 a
 * real birth date from 1900-01-01 up to `today` (YYYY-MM-DD); the last character the MOD 11-2 check.
 * Passport: ICAO 9303 document numbers are at most 9 characters; we accept 5–9 of A–Z and 0–9 with
 * at least one digit, so both EA1234567 (China) and the all-digit US books issued before 2021 pass.
 */
export function findIdNumberProblem(idType: IdType, idNumber: string, today: string): IdNumberProblem | undefined {
  if (idType === 'passport') {
    const isWellFormed = /^[A-Z0-9]{5,9}$/.test(idNumber) && /\d/.test(idNumber) && !/^(.)\1*$/.test(idNumber);
    return isWellFormed ? undefined : 'passport_number_invalid';
  }
  if (!/^[1-9]\d{16}[\dX]$/.test(idNumber)) return 'resident_id_format_invalid';
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  if (!isRealDate(year, month, day) || birthDate < '1900-01-01' || birthDate > today) return 'resident_id_birth_date_invalid';
  if (residentIdCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return 'resident_id_checksum_invalid';
  return undefined;
}

/** Whether a resident ID number is real in shape: format, a real birth date up to `today`, and its check character. */
export function isResidentIdValid(idNumber: string, today: string): boolean {
  return findIdNumberProblem('resident_id', normalizeIdNumber(idNumber), today) === undefined;
}

// ---- Customer side ------------------------------------------------------------------------------

/** The text fields of the multipart identity-verification upload; the image travels as `document`. */
export const identityVerificationFieldsSchema = z.strictObject({
  realName: z.string().trim().min(1).max(100),
  idType: idTypeSchema,
  idNumber: z.string().trim().min(1).max(40),
});
export type IdentityVerificationFields = z.infer<typeof identityVerificationFieldsSchema>;

/** A submission as its customer sees it: only the last four characters of the ID number. */
export const verificationSubmissionSchema = z.object({
  id: z.string(),
  realName: z.string(),
  idType: idTypeSchema,
  idNumberMasked: z.string(),
  status: verificationStatusSchema,
  submittedAt: z.string(),
  reviewedAt: z.string().nullable(),
});
export type VerificationSubmission = z.infer<typeof verificationSubmissionSchema>;

export const customerFreezeSchema = z.object({
  id: z.string(),
  reason: freezeReasonSchema,
  since: z.string(),
  /** What the freeze means for the customer, in their language. */
  meaning: z.string(),
  whatToDo: z.string(),
});
export type CustomerFreeze = z.infer<typeof customerFreezeSchema>;

export const customerSecuritySchema = z.object({
  isFrozen: z.boolean(),
  freezes: z.array(customerFreezeSchema),
  verification: z.object({
    level: verificationLevelSchema,
    /** One line about the level in the customer's language (what happens next). */
    message: z.string(),
    latest: verificationSubmissionSchema.nullable(),
  }),
});
export type CustomerSecurity = z.infer<typeof customerSecuritySchema>;

/** Freezing one's own account, e.g. after losing the phone. */
export const selfFreezeRequestSchema = z.strictObject({ note: z.string().trim().max(500).optional() });
export type SelfFreezeRequest = z.infer<typeof selfFreezeRequestSchema>;

// ---- Staff side ---------------------------------------------------------------------------------

export const staffRefSchema = z.object({ id: z.string(), displayName: z.string() });
export const customerRefSchema = z.object({ id: z.string(), displayName: z.string(), email: z.string() });

const listLimitSchema = z.coerce.number().int().min(1).max(200).default(50);

export const verificationQueueQuerySchema = z.strictObject({
  status: verificationStatusSchema.default('pending'),
  limit: listLimitSchema,
});
export type VerificationQueueQuery = z.infer<typeof verificationQueueQuerySchema>;

export const staffVerificationSchema = z.object({
  id: z.string(),
  customer: customerRefSchema,
  realName: z.string(),
  idType: idTypeSchema,
  idNumberMasked: z.string(),
  document: z.object({ mimeType: z.string(), size: z.number().int() }),
  status: verificationStatusSchema,
  submittedAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: staffRefSchema.nullable(),
  reviewNote: z.string().nullable(),
});
export type StaffVerification = z.infer<typeof staffVerificationSchema>;

export const verificationQueueSchema = z.object({ verifications: z.array(staffVerificationSchema) });

/** Supervisors and admins get the full ID number and the document link; agents get null. */
export const staffVerificationDetailSchema = staffVerificationSchema.extend({
  idNumber: z.string().nullable(),
  documentUrl: z.string().nullable(),
});
export type StaffVerificationDetail = z.infer<typeof staffVerificationDetailSchema>;

export const verificationApprovalSchema = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const verificationRejectionSchema = z.strictObject({ note: z.string().trim().min(1).max(1000) });

/** What a checker sees of the customer's identity evidence. */
export const verificationEvidenceSchema = z.object({
  level: verificationLevelSchema,
  latest: z
    .object({
      id: z.string(),
      status: verificationStatusSchema,
      idType: idTypeSchema,
      submittedAt: z.string(),
      reviewedAt: z.string().nullable(),
    })
    .nullable(),
});
export type VerificationEvidence = z.infer<typeof verificationEvidenceSchema>;

export const staffFreezeSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  reason: freezeReasonSchema,
  /** Internal note: staff only. */
  note: z.string().nullable(),
  setBy: z.object({
    type: z.enum(['staff', 'system', 'customer']),
    staff: staffRefSchema.nullable(),
    rule: z.string().nullable(),
  }),
  createdAt: z.string(),
  liftedAt: z.string().nullable(),
  isActive: z.boolean(),
  requiresVerification: z.boolean(),
  pendingUnfreezeRequestId: z.string().nullable(),
});
export type StaffFreeze = z.infer<typeof staffFreezeSchema>;

export const customerFreezesSchema = z.object({
  customer: customerRefSchema,
  isFrozen: z.boolean(),
  verification: verificationEvidenceSchema,
  freezes: z.array(staffFreezeSchema),
});
export type CustomerFreezes = z.infer<typeof customerFreezesSchema>;

export const staffFreezeRequestSchema = z.strictObject({
  reason: freezeReasonSchema,
  note: z.string().trim().min(1).max(1000),
});
export type StaffFreezeRequest = z.infer<typeof staffFreezeRequestSchema>;

export const unfreezeProposalSchema = z.strictObject({
  note: z.string().trim().min(1).max(1000),
  conversationId: z.uuid().optional(),
});
export type UnfreezeProposal = z.infer<typeof unfreezeProposalSchema>;

export const unfreezeDecisionSchema = z.strictObject({ note: z.string().trim().min(1).max(1000) });

export const unfreezeRequestStatuses = ['pending', 'approved', 'rejected'] as const;

export const unfreezeRequestQuerySchema = z.strictObject({
  status: z.enum(unfreezeRequestStatuses).default('pending'),
  limit: listLimitSchema,
});

export const unfreezeRequestSchema = z.object({
  id: z.string(),
  status: z.enum(unfreezeRequestStatuses),
  freeze: staffFreezeSchema,
  customer: customerRefSchema,
  proposedBy: staffRefSchema,
  proposalNote: z.string(),
  conversationId: z.string().nullable(),
  createdAt: z.string(),
  /** Pending for more than a week: the evidence may be out of date. */
  isStale: z.boolean(),
  decidedBy: staffRefSchema.nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  verification: verificationEvidenceSchema,
});
export type UnfreezeRequest = z.infer<typeof unfreezeRequestSchema>;

export const unfreezeRequestListSchema = z.object({ requests: z.array(unfreezeRequestSchema) });
