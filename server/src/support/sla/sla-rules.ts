import type { Database } from '../../platform/index.js';
import { currentHours, type HoursDeps } from '../hours/support-hours.js';
import { loadStoredPolicies } from './sla.repository.js';
import type { SlaEnvironment } from './sla-clock.js';
import { buildSlaRules } from './sla-policies.js';

type CacheEntry = { policies: Promise<Awaited<ReturnType<typeof loadStoredPolicies>>>; expiresAt: number };
const cache = new WeakMap<Database, CacheEntry>();
let built: { stored: unknown; hours: unknown; environment: SlaEnvironment } | undefined;

/**
 * The policies and hours in force. Like the hours, every node reads stored policies at most every
 * SUPPORT_HOURS_CACHE_SECONDS and at once after its own change.
 */
export async function currentSlaEnvironment(deps: HoursDeps): Promise<SlaEnvironment> {
  const now = performance.now();
  let entry = cache.get(deps.db);
  if (!entry || entry.expiresAt <= now) {
    entry = { policies: loadStoredPolicies(deps.db), expiresAt: now + deps.config.support.hoursCacheSeconds * 1000 };
    cache.set(deps.db, entry);
    entry.policies.catch(() => cache.delete(deps.db));
  }
  const [stored, hours] = await Promise.all([entry.policies, currentHours(deps)]);
  // Built once per change of either: every event the clocks handle asks for it.
  if (built?.stored !== stored || built.hours !== hours)
    built = { stored, hours, environment: { rules: buildSlaRules(stored, hours), hours } };
  return built.environment;
}

/** After a change on this node: the next read loads it. */
export function forgetSlaPolicies(deps: { db: Database }): void {
  cache.delete(deps.db);
}
