import type { CurrencyCode } from '@okpay/contracts';
import type pg from 'pg';

export type SystemAccountCode = 'acquirer_clearing' | 'fx_liquidity' | 'fx_revenue' | 'fees';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * The customer's account in a currency, created on first use. A customer with an active freeze
 * gets a frozen account, so a new currency is no way around a freeze.
 */
export async function customerAccountId(db: Queryable, customerId: string, currency: CurrencyCode): Promise<number> {
  const select = {
    name: 'okpay_customer_account',
    text: 'SELECT id FROM ledger_accounts WHERE customer_id = $1 AND currency = $2',
    values: [customerId, currency],
  };
  const found = await db.query<{ id: string }>(select);
  if (found.rows[0]) return Number(found.rows[0].id);
  await db.query(
    `INSERT INTO ledger_accounts (customer_id, currency, is_frozen)
     VALUES ($1, $2, EXISTS (SELECT 1 FROM customer_freezes WHERE customer_id = $1 AND lifted_at IS NULL))
     ON CONFLICT (customer_id, currency) WHERE customer_id IS NOT NULL DO NOTHING`,
    [customerId, currency],
  );
  const created = await db.query<{ id: string }>(select);
  return Number(created.rows[0]?.id);
}

/**
 * Several customer accounts for one transaction, created where missing in a fixed
 * (customer, currency) order: two transactions opening each other's accounts would otherwise
 * deadlock on the unique index.
 */
export async function customerAccountIds(db: Queryable, wanted: Array<{ customerId: string; currency: CurrencyCode }>): Promise<number[]> {
  const key = (item: { customerId: string; currency: string }) => `${item.customerId}:${item.currency}`;
  const ids = new Map<string, number>();
  for (const item of [...wanted].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0))) {
    if (!ids.has(key(item))) ids.set(key(item), await customerAccountId(db, item.customerId, item.currency));
  }
  return wanted.map((item) => ids.get(key(item)) ?? 0);
}

/** System accounts exist for every currency from the migration on; they may go negative. */
export async function systemAccountId(db: Queryable, code: SystemAccountCode, currency: CurrencyCode): Promise<number> {
  const result = await db.query<{ id: string }>({
    name: 'okpay_system_account',
    text: 'SELECT id FROM ledger_accounts WHERE system_code = $1 AND currency = $2',
    values: [code, currency],
  });
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error(`system account ${code} ${currency} is missing`);
  return Number(id);
}

export type BalanceRow = { currency: CurrencyCode; balance: number; isFrozen: boolean };

export async function listCustomerBalances(db: Queryable, customerId: string): Promise<BalanceRow[]> {
  const result = await db.query<{ currency: CurrencyCode; balance: string; is_frozen: boolean }>(
    'SELECT currency, balance, is_frozen FROM ledger_accounts WHERE customer_id = $1 ORDER BY currency',
    [customerId],
  );
  return result.rows.map((row) => ({ currency: row.currency, balance: Number(row.balance), isFrozen: row.is_frozen }));
}
