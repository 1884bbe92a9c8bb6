import type { BalancesResponse } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { hasActiveFreeze } from '../compliance/compliance.repository.js';
import { listCustomerAccounts } from './ledger.repository.js';

/** The customer's balance in every currency held (a new customer holds CNY 0), and whether a freeze stops money moving. */
export async function getBalances(db: Queryable, customerId: string): Promise<BalancesResponse> {
  const [accounts, isFrozen] = await Promise.all([listCustomerAccounts(db, customerId), hasActiveFreeze(db, customerId)]);
  const held = accounts.length > 0 ? accounts : [{ currency: 'CNY' as const, balance: 0, isFrozen: false }];
  return {
    balances: held.map((account) => ({
      currency: account.currency,
      available: { amount: account.balance, currency: account.currency },
      isFrozen: account.isFrozen,
    })),
    isFrozen,
  };
}
