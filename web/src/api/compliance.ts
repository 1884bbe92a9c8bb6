import {
  customerFreezesSchema,
  type StaffFreezeRequest,
  staffFreezeSchema,
  staffVerificationDetailSchema,
  staffVerificationSchema,
  type UnfreezeProposal,
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

/** A customer's freezes with who set them, their internal notes and any pending unfreeze proposal. */
export const listCustomerFreezes = (customerId: string) =>
  apiRequest(`/api/agent/customers/${encodeURIComponent(customerId)}/freezes`, { schema: customerFreezesSchema });

export const freezeCustomer = (customerId: string, body: StaffFreezeRequest) =>
  apiRequest(`/api/agent/customers/${encodeURIComponent(customerId)}/freezes`, { method: 'POST', body, schema: staffFreezeSchema });

/** The maker's half of the four-eyes unfreeze: a different supervisor or admin approves it. */
export const proposeUnfreeze = (freezeId: string, body: UnfreezeProposal) =>
  apiRequest(`/api/agent/freezes/${encodeURIComponent(freezeId)}/unfreeze-requests`, {
    method: 'POST',
    body,
    schema: unfreezeRequestSchema,
  });
