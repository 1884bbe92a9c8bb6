import { fingerprint } from '../hours/business-calendar.js';
import type { HoursSnapshot } from '../hours/support-hours.js';
import { type SlaPolicyDefinition, shippedPolicies } from './shipped-policies.js';
import type { StoredSlaTarget, slaPolicies } from './sla.tables.js';

export type StoredSlaPolicy = typeof slaPolicies.$inferSelect;
export type SlaTargetName = 'first_reply' | 'next_reply' | 'resolution';

/** The policies in force: shipped ones with administrators' changes applied, and their fingerprint. */
export type SlaRules = {
  policies: readonly SlaPolicyDefinition[];
  stored: readonly StoredSlaPolicy[];
  shippedNames: ReadonlySet<string>;
  /** Changes when a policy or a calendar changes: a clock computed under another version is re-evaluated. */
  version: string;
};

export function buildSlaRules(stored: readonly StoredSlaPolicy[], hours: HoursSnapshot): SlaRules {
  const byName = new Map<string, SlaPolicyDefinition>(shippedPolicies.map((policy) => [policy.name, policy]));
  for (const row of stored) {
    byName.set(row.name, {
      name: row.name,
      channel: row.channel as SlaPolicyDefinition['channel'],
      priority: row.priority as SlaPolicyDefinition['priority'],
      category: row.category,
      firstReply: row.firstReply ?? null,
      nextReply: row.nextReply ?? null,
      resolution: row.resolution ?? null,
    });
  }
  const policies = [...byName.values()].sort((left, right) => left.name.localeCompare(right.name));
  const calendars = [...hours.calendars.values()].map((calendar) => `${calendar.name}:${calendar.version}`).sort();
  const version = fingerprint(JSON.stringify({ policies, calendars, channels: hours.channels }));
  return { policies, stored, shippedNames: new Set(shippedPolicies.map((policy) => policy.name)), version };
}

/**
 * The policy for a conversation: its channel's, the most specific first (a category match wins
 * over a priority match, which wins over the channel's catch-all).
 */
export function policyFor(
  rules: SlaRules,
  conversation: { channel: string; priority: string; category: string },
): SlaPolicyDefinition | undefined {
  let best: SlaPolicyDefinition | undefined;
  let bestScore = -1;
  for (const policy of rules.policies) {
    if (policy.channel !== conversation.channel) continue;
    if (policy.priority !== null && policy.priority !== conversation.priority) continue;
    if (policy.category !== null && policy.category !== conversation.category) continue;
    const score = (policy.category !== null ? 2 : 0) + (policy.priority !== null ? 1 : 0);
    if (score > bestScore) {
      best = policy;
      bestScore = score;
    }
  }
  return best;
}

export function targetOf(policy: SlaPolicyDefinition, target: SlaTargetName): StoredSlaTarget | null {
  if (target === 'first_reply') return policy.firstReply;
  if (target === 'next_reply') return policy.nextReply;
  return policy.resolution;
}
