import type { SaveSlaPolicyRequest } from '@okpay/contracts';
import { type Database, recordAudit, withTransaction } from '../../platform/index.js';
import type { HoursActor } from '../hours/hours-audit.js';
import type { HoursDeps } from '../hours/support-hours.js';
import { SlaError } from './sla.errors.js';
import { upsertSlaPolicy } from './sla.repository.js';
import { currentSlaEnvironment, forgetSlaPolicies } from './sla-rules.js';
import { shippedPolicyNamed } from './sla-settings.js';

/**
 * Creates or changes an SLA policy (a shipped one is replaced by the saved one); audited. Running
 * clocks take the new targets at the next evaluation, keeping the time they have counted.
 */
export async function saveSlaPolicy(
  deps: HoursDeps & { db: Database; clock: { now(): Date } },
  name: string,
  input: SaveSlaPolicyRequest,
  actor: HoursActor,
): Promise<void> {
  if (!input.firstReply && !input.nextReply && !input.resolution) throw SlaError('sla_policy_empty');
  const environment = await currentSlaEnvironment(deps);
  for (const target of [input.firstReply, input.nextReply, input.resolution]) {
    if (target?.calendar && !environment.hours.calendars.has(target.calendar))
      throw SlaError('sla_calendar_unknown', { name: target.calendar });
  }
  const shipped = shippedPolicyNamed(name);
  if (shipped && (shipped.channel !== input.channel || input.priority !== null || input.category !== null)) {
    throw SlaError('sla_policy_shipped_channel', { name });
  }
  const other = environment.rules.policies.find(
    (policy) =>
      policy.name !== name && policy.channel === input.channel && policy.priority === input.priority && policy.category === input.category,
  );
  if (other) throw SlaError('sla_policy_overlaps', { other: other.name });
  const values = {
    name,
    channel: input.channel,
    priority: input.priority,
    category: input.category,
    firstReply: input.firstReply,
    nextReply: input.nextReply,
    resolution: input.resolution,
    updatedAt: deps.clock.now(),
    updatedBy: actor.staffId,
  };
  await withTransaction(deps.db.$client, async (tx) => {
    await upsertSlaPolicy(tx, values);
    await recordAudit(tx, {
      actor: { type: 'staff', id: actor.staffId },
      action: 'sla.policy_saved',
      target: { type: 'sla_policy', id: name },
      ip: actor.ip,
      details: { ...input },
    });
  });
  forgetSlaPolicies(deps);
}
