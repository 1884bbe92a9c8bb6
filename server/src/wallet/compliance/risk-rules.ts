import type { Config, Transaction } from '../../platform/index.js';
import { sumInflowInCny } from '../history/history.repository.js';
import { countFailedTopUpsSince } from '../top-ups/top-ups.repository.js';
import { hasActiveFreeze, hasApprovedVerification } from './compliance.repository.js';
import { freezeCustomer } from './freeze-customer.js';

type RiskSettings = Config['risk'];

/**
 * Card testing looks like many failed top-ups in a few minutes: at the threshold the account is
 * frozen for abnormal activity until the customer proves who they are.
 */
export async function applyFailedTopUpRule(tx: Transaction, settings: RiskSettings, customerId: string, at: Date): Promise<boolean> {
  const since = new Date(at.getTime() - settings.failedTopUpsWindowMinutes * 60_000);
  const failed = await countFailedTopUpsSince(tx, customerId, since);
  if (failed < settings.failedTopUps) return false;
  if (await hasActiveFreeze(tx, customerId, 'abnormal_activity')) return false;
  await freezeCustomer(tx, {
    customerId,
    reason: 'abnormal_activity',
    note: `${failed} failed top-ups within ${settings.failedTopUpsWindowMinutes} minutes`,
    setBy: { type: 'system', rule: 'repeated_failed_top_ups' },
    at,
  });
  return true;
}

/**
 * Large money coming in to a customer whose identity is not verified (top-ups and transfers
 * received within the window, valued in CNY at mid rates) freezes the account until verification.
 */
export async function applyUnverifiedInflowRule(tx: Transaction, settings: RiskSettings, customerId: string, at: Date): Promise<boolean> {
  if (await hasApprovedVerification(tx, customerId)) return false;
  const since = new Date(at.getTime() - settings.inflowWindowHours * 3_600_000);
  const totalCny = await sumInflowInCny(tx, customerId, since);
  if (totalCny <= settings.unverifiedInflowLimitCny) return false;
  if (await hasActiveFreeze(tx, customerId, 'identity_unverified')) return false;
  await freezeCustomer(tx, {
    customerId,
    reason: 'identity_unverified',
    note: `${Math.round(totalCny)} CNY received within ${settings.inflowWindowHours} h without verified identity`,
    setBy: { type: 'system', rule: 'unverified_large_inflow' },
    at,
  });
  return true;
}
