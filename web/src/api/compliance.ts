import {
  staffVerificationDetailSchema,
  staffVerificationSchema,
  unfreezeRequestListSchema,
  unfreezeRequestSchema,
  type VerificationStatus,
  verificationQueueSchema,
} from '@okpay/contracts';
import { apiBlob, apiRequest } from './client';

type DecisionStatus = 'pending' | 'approved' | 'rejected';

export const listVerifications = (status: VerificationStatus) =>
  apiRequest(`/api/agent/verifications?status=${status}`, { schema: verificationQueueSchema });

export const getVerification = (id: string) =>
  apiRequest(`/api/agent/verifications/${encodeURIComponent(id)}`, { schema: staffVerificationDetailSchema });

/** The document image; fetched with the staff session rather than linked, and never cached (every view is audit-logged). */
export const fetchVerificationDocument = (documentUrl: string) => apiBlob(documentUrl, { realm: 'staff' });

export const reviewVerification = (id: string, decision: 'approve' | 'reject', note: string | undefined) =>
  apiRequest(`/api/agent/verifications/${encodeURIComponent(id)}/${decision}`, {
    method: 'POST',
    body: note ? { note } : {},
    schema: staffVerificationSchema,
  });

export const listUnfreezeRequests = (status: DecisionStatus) =>
  apiRequest(`/api/agent/unfreeze-requests?status=${status}`, { schema: unfreezeRequestListSchema });

export const decideUnfreezeRequest = (id: string, decision: 'approve' | 'reject', note: string) =>
  apiRequest(`/api/agent/unfreeze-requests/${encodeURIComponent(id)}/${decision}`, {
    method: 'POST',
    body: { note },
    schema: unfreezeRequestSchema,
  });
