import type { UnfreezeRequest } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import type { Tx } from '../../platform/db/transaction.js';
import { publishEvent } from '../../platform/events.js';
import { ComplianceError } from './compliance.errors.js';
import { getUnfreezeRequest } from './list-unfreeze-requests.js';

/** The maker's half of four-eyes: any staff member proposes lifting a freeze; someone else decides. */
export async function proposeUnfreeze(
  tx: Tx,
  input: { freezeId: string; staffId: string; note: string; conversationId?: string; at: Date; ip: string | null },
): Promise<UnfreezeRequest> {
  const freeze = await tx.client.query<{ customer_id: string; reason: string; lifted_at: Date | null }>(
    'SELECT customer_id, reason, lifted_at FROM customer_freezes WHERE id = $1 FOR UPDATE',
    [input.freezeId],
  );
  const row = freeze.rows[0];
  if (!row) throw ComplianceError('freeze_not_found');
  if (row.lifted_at) throw ComplianceError('freeze_already_lifted');
  const pending = await tx.client.query<{ id: string }>("SELECT id FROM unfreeze_requests WHERE freeze_id = $1 AND status = 'pending'", [
    input.freezeId,
  ]);
  if (pending.rows[0]) throw ComplianceError('unfreeze_request_pending', {}, { requestId: pending.rows[0].id });
  let requestId: string;
  try {
    const inserted = await tx.client.query<{ id: string }>(
      `INSERT INTO unfreeze_requests (freeze_id, customer_id, proposed_by, proposal_note, conversation_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [input.freezeId, row.customer_id, input.staffId, input.note, input.conversationId ?? null, input.at],
    );
    requestId = inserted.rows[0]?.id ?? '';
  } catch (error) {
    // Duplicate pending submissions for the same freeze are blocked by the database as well (FINERACT-2753).
    if (uniqueViolation(error) === 'unfreeze_requests_one_pending_key') throw ComplianceError('unfreeze_request_pending');
    throw error;
  }
  await recordAudit(tx.db, {
    actor: { type: 'staff', id: input.staffId },
    action: 'unfreeze.proposed',
    target: { type: 'customer', id: row.customer_id },
    ip: input.ip,
    details: { requestId, freezeId: input.freezeId, reason: row.reason, conversationId: input.conversationId ?? null },
  });
  await publishEvent(tx.client, {
    type: 'wallet.unfreeze.proposed',
    subject: { type: 'customer', id: row.customer_id },
    payload: { requestId, freezeId: input.freezeId, customerId: row.customer_id, proposedBy: input.staffId },
  });
  return getUnfreezeRequest(tx.client, requestId, input.at);
}
