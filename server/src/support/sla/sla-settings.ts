import type { SlaPolicy, SlaSettings } from '@okpay/contracts';
import type { HoursSnapshot } from '../hours/support-hours.js';
import { shippedPolicies, slaWarningPercent } from './shipped-policies.js';
import type { SlaRules } from './sla-policies.js';

/** What the console's SLA page shows: every policy in force and what a target may name. */
export function slaSettings(rules: SlaRules, hours: HoursSnapshot): SlaSettings {
  const stored = new Map(rules.stored.map((row) => [row.name, row]));
  const order = { chat: 0, email: 1, phone: 2 } as const;
  const policies: SlaPolicy[] = rules.policies
    .map((policy) => ({
      name: policy.name,
      channel: policy.channel,
      priority: policy.priority,
      category: policy.category as SlaPolicy['category'],
      firstReply: policy.firstReply,
      nextReply: policy.nextReply,
      resolution: policy.resolution,
      isShipped: rules.shippedNames.has(policy.name),
      isChanged: stored.has(policy.name) && rules.shippedNames.has(policy.name),
      updatedAt: stored.get(policy.name)?.updatedAt.toISOString() ?? null,
    }))
    .sort(
      (left, right) =>
        order[left.channel] - order[right.channel] ||
        Number(left.priority !== null) +
          Number(left.category !== null) * 2 -
          (Number(right.priority !== null) + Number(right.category !== null) * 2) ||
        left.name.localeCompare(right.name),
    );
  return {
    policies,
    calendars: [...hours.calendars.keys()].sort(),
    channelCalendars: { ...hours.channels },
    warningPercent: slaWarningPercent,
  };
}

export const shippedPolicyNamed = (name: string) => shippedPolicies.find((policy) => policy.name === name);
