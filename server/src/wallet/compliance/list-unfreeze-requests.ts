import type { UnfreezeRequest } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { ComplianceError } from './compliance.errors.js';
import {
  findLatestVerifications,
  findUnfreezeRequestRecord,
  listUnfreezeRequestRecords,
  type UnfreezeRequestRecord,
} from './compliance.repository.js';
import { findStaffFreezes } from './list-customer-freezes.js';
import { toEvidence } from './verification-status.js';

/** Maker-checker requests left pending this long are flagged: the evidence behind them may be out of date. */
export const staleAfterDays = 7;

/** Each request with its freeze, customer, proposer and the customer's identity evidence, for the checker. */
async function toViews(db: Queryable, records: UnfreezeRequestRecord[], now: Date): Promise<UnfreezeRequest[]> {
  const freezes = await findStaffFreezes(
    db,
    records.map(({ request }) => request.freezeId),
  );
  const verifications = await findLatestVerifications(
    db,
    records.map(({ request }) => request.customerId),
  );
  const staleBefore = now.getTime() - staleAfterDays * 86_400_000;
  return records.map(({ request, customer, proposerName, deciderName }) => {
    const freeze = freezes.get(request.freezeId);
    if (!freeze) throw new Error(`freeze ${request.freezeId} of unfreeze request ${request.id} is missing`);
    return {
      id: request.id,
      status: request.status,
      freeze,
      customer: { id: request.customerId, displayName: customer.displayName, email: customer.email },
      proposedBy: { id: request.proposedBy, displayName: proposerName },
      proposalNote: request.proposalNote,
      conversationId: request.conversationId,
      createdAt: request.createdAt.toISOString(),
      isStale: request.status === 'pending' && request.createdAt.getTime() < staleBefore,
      decidedBy: request.decidedBy ? { id: request.decidedBy, displayName: deciderName ?? '' } : null,
      decisionNote: request.decisionNote,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      verification: toEvidence(verifications.get(request.customerId)),
    };
  });
}

/** Pending requests oldest first (the longest-waiting customer first); decided ones newest first. */
export async function listUnfreezeRequests(
  db: Queryable,
  query: { status: UnfreezeRequest['status']; limit: number },
  now: Date,
): Promise<UnfreezeRequest[]> {
  return toViews(db, await listUnfreezeRequestRecords(db, query), now);
}

export async function getUnfreezeRequest(db: Queryable, id: string, now: Date): Promise<UnfreezeRequest> {
  const record = await findUnfreezeRequestRecord(db, id);
  const [view] = await toViews(db, record ? [record] : [], now);
  if (!view) throw ComplianceError('unfreeze_request_not_found');
  return view;
}
