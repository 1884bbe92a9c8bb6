import type { HoursDeps } from '../hours/support-hours.js';
import { shippedPolicies } from './shipped-policies.js';
import { policyFor } from './sla-policies.js';
import { currentSlaEnvironment } from './sla-rules.js';

const shippedEmail = shippedPolicies.find((policy) => policy.channel === 'email');

/**
 * The "reply within N hours" customers are promised for email (the offline form's answer, the
 * acknowledgement, the widget and the help articles): the email policy's first-reply target for an
 * ordinary conversation, rounded up to whole hours, so the promise and the clock the agents count
 * down are one setting. Without a first-reply target, the next-reply one; without either, what ships.
 */
export async function emailReplyHours(deps: HoursDeps): Promise<number> {
  const environment = await currentSlaEnvironment(deps);
  const policy = policyFor(environment.rules, { channel: 'email', priority: 'normal', category: '' });
  const target = policy?.firstReply ?? policy?.nextReply ?? shippedEmail?.firstReply;
  return Math.max(1, Math.ceil((target?.minutes ?? 48 * 60) / 60));
}
