import { currencies, currencyCodes } from '@okpay/contracts';
import type { Config } from '../../platform/config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { freezeCustomer } from './freeze-customer.js';

type RiskSettings = Config['risk'];

/** SQL for 10^exponent of a currency column, from the one currency table in contracts. */
function minorUnitsPerMajorSql(column: string): string {
  const cases = currencyCodes.map((code) => `WHEN '${code}' THEN ${10 ** currencies[code].exponent}`).join(' ');
  return `(CASE ${column} ${cases} END)`;
}

async function hasActiveFreeze(tx: Tx, customerId: string, reason: string): Promise<boolean> {
  const result = await tx.client.query(
    'SELECT 1 FROM customer_freezes WHERE customer_id = $1 AND reason = $2 AND lifted_at IS NULL LIMIT 1',
    [customerId, reason],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Card testing looks like many failed top-ups in a few minutes: at the threshold the account is
 * frozen for abnormal activity until the customer proves who they are.
 */
export async function applyFailedTopUpRule(tx: Tx, settings: RiskSettings, customerId: string, at: Date): Promise<boolean> {
  const since = new Date(at.getTime() - settings.failedTopUpsWindowMinutes * 60_000);
  const failed = await tx.client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM top_ups WHERE customer_id = $1 AND status = 'failed' AND created_at >= $2",
    [customerId, since],
  );
  if ((failed.rows[0]?.n ?? 0) < settings.failedTopUps) return false;
  if (await hasActiveFreeze(tx, customerId, 'abnormal_activity')) return false;
  await freezeCustomer(tx, {
    customerId,
    reason: 'abnormal_activity',
    note: `${failed.rows[0]?.n} failed top-ups within ${settings.failedTopUpsWindowMinutes} minutes`,
    setBy: { type: 'system', rule: 'repeated_failed_top_ups' },
    at,
  });
  return true;
}

/**
 * Large money coming in to a customer whose identity is not verified (top-ups and transfers
 * received within the window, valued in CNY at mid rates) freezes the account until verification.
 */
export async function applyUnverifiedInflowRule(tx: Tx, settings: RiskSettings, customerId: string, at: Date): Promise<boolean> {
  const verified = await tx.client.query("SELECT 1 FROM identity_verifications WHERE customer_id = $1 AND status = 'approved' LIMIT 1", [
    customerId,
  ]);
  if ((verified.rowCount ?? 0) > 0) return false;
  const since = new Date(at.getTime() - settings.inflowWindowHours * 3_600_000);
  // Valued in CNY at mid rates with PostgreSQL's exact numeric arithmetic.
  const inflow = await tx.client.query<{ total_cny: string | null }>(
    `SELECT sum(t.amount::numeric / ${minorUnitsPerMajorSql('t.currency')} / r.units_per_usd * cny.units_per_usd)::text AS total_cny
     FROM wallet_transactions t
     JOIN fx_rates r ON r.currency = t.currency
     JOIN fx_rates cny ON cny.currency = 'CNY'
     WHERE t.customer_id = $1 AND t.status = 'succeeded' AND t.type IN ('top_up', 'transfer_in') AND t.created_at >= $2`,
    [customerId, since],
  );
  const totalCny = Number.parseFloat(inflow.rows[0]?.total_cny ?? '0');
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
