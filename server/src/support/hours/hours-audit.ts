import { type Queryable, recordAudit } from '../../platform/index.js';

/** The admin changing business hours, and where from. */
export type HoursActor = { staffId: string; ip?: string };

/** Every change to business hours is audited in the transaction that makes it. */
export function auditHoursChange(
  executor: Queryable,
  actor: HoursActor,
  action: `hours.${string}`,
  target: { type: 'business_calendar' | 'support_channel'; id: string },
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(executor, { actor: { type: 'staff', id: actor.staffId }, action, target, ip: actor.ip, details });
}
