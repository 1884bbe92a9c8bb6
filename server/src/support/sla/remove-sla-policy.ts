import { type Database, recordAudit, withTransaction } from '../../platform/index.js';
import type { HoursActor } from '../hours/hours-audit.js';
import { SlaError } from './sla.errors.js';
import { deleteSlaPolicy } from './sla.repository.js';
import { forgetSlaPolicies } from './sla-rules.js';
import { shippedPolicyNamed } from './sla-settings.js';

/** Removes a policy an admin made, or resets a shipped one to what ships; audited. */
export async function removeSlaPolicy(deps: { db: Database }, name: string, actor: HoursActor): Promise<void> {
  const removed = await withTransaction(deps.db.$client, async (tx) => {
    if (!(await deleteSlaPolicy(tx, name))) return false;
    await recordAudit(tx, {
      actor: { type: 'staff', id: actor.staffId },
      action: shippedPolicyNamed(name) ? 'sla.policy_reset' : 'sla.policy_removed',
      target: { type: 'sla_policy', id: name },
      ip: actor.ip,
      details: {},
    });
    return true;
  });
  if (!removed) throw SlaError('sla_policy_not_found', { name });
  forgetSlaPolicies(deps);
}
