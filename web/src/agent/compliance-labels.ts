import type { VerificationLevel, VerificationStatus } from '@okpay/contracts';

export const verificationStatusColours: Record<VerificationStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};

export const verificationLevelColours: Record<VerificationLevel, string> = {
  unverified: 'default',
  pending: 'processing',
  verified: 'success',
  rejected: 'error',
};
