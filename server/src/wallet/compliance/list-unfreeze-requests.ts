import type { UnfreezeRequest } from '@okpay/contracts';
import type pg from 'pg';
import { ComplianceError } from './compliance.errors.js';
import { findStaffFreezes } from './list-customer-freezes.js';
import { findLatestVerifications, toEvidence } from './verification-status.js';

type Queryable = pg.Pool | pg.PoolClient;

/** Maker-checker requests left pending this long are flagged: the evidence behind them may be out of date. */
export const staleAfterDays = 7;

type RequestRow = {
  id: string;
  freeze_id: string;
  customer_id: string;
  customer_name: string;
  customer_email: string;
  proposed_by: string;
  proposer_name: string;
  proposal_note: string;
  conversation_id: string | null;
  status: UnfreezeRequest['status'];
  decided_by: string | null;
  decider_name: string | null;
  decision_note: string | null;
  created_at: Date;
  decided_at: Date | null;
};

const requestSelect = `
  SELECT r.id, r.freeze_id, r.customer_id, c.display_name AS customer_name, c.email AS customer_email,
         r.proposed_by, p.display_name AS proposer_name, r.proposal_note, r.conversation_id, r.status,
         r.decided_by, d.display_name AS decider_name, r.decision_note, r.created_at, r.decided_at
  FROM unfreeze_requests r
  JOIN customers c ON c.id = r.customer_id
  JOIN staff_members p ON p.id = r.proposed_by
  LEFT JOIN staff_members d ON d.id = r.decided_by`;

/** Each request with its freeze, customer, proposer and the customer's identity evidence, for the checker. */
async function toViews(db: Queryable, rows: RequestRow[], now: Date): Promise<UnfreezeRequest[]> {
  const freezes = await findStaffFreezes(
    db,
    rows.map((row) => row.freeze_id),
  );
  const verifications = await findLatestVerifications(
    db,
    rows.map((row) => row.customer_id),
  );
  const staleBefore = now.getTime() - staleAfterDays * 86_400_000;
  return rows.map((row) => {
    const freeze = freezes.get(row.freeze_id);
    if (!freeze) throw new Error(`freeze ${row.freeze_id} of unfreeze request ${row.id} is missing`);
    return {
      id: row.id,
      status: row.status,
      freeze,
      customer: { id: row.customer_id, displayName: row.customer_name, email: row.customer_email },
      proposedBy: { id: row.proposed_by, displayName: row.proposer_name },
      proposalNote: row.proposal_note,
      conversationId: row.conversation_id,
      createdAt: row.created_at.toISOString(),
      isStale: row.status === 'pending' && row.created_at.getTime() < staleBefore,
      decidedBy: row.decided_by ? { id: row.decided_by, displayName: row.decider_name ?? '' } : null,
      decisionNote: row.decision_note,
      decidedAt: row.decided_at?.toISOString() ?? null,
      verification: toEvidence(verifications.get(row.customer_id)),
    };
  });
}

/** Pending requests oldest first (the longest-waiting customer first); decided ones newest first. */
export async function listUnfreezeRequests(
  db: Queryable,
  query: { status: UnfreezeRequest['status']; limit: number },
  now: Date,
): Promise<UnfreezeRequest[]> {
  const order = query.status === 'pending' ? 'r.created_at ASC, r.id ASC' : 'r.decided_at DESC NULLS LAST, r.id DESC';
  const result = await db.query<RequestRow>(`${requestSelect} WHERE r.status = $1 ORDER BY ${order} LIMIT $2`, [query.status, query.limit]);
  return toViews(db, result.rows, now);
}

export async function getUnfreezeRequest(db: Queryable, id: string, now: Date): Promise<UnfreezeRequest> {
  const result = await db.query<RequestRow>(`${requestSelect} WHERE r.id = $1`, [id]);
  const [view] = await toViews(db, result.rows, now);
  if (!view) throw ComplianceError('unfreeze_request_not_found');
  return view;
}
