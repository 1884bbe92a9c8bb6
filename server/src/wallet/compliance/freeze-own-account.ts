import type { CustomerSecurity, Locale } from '@okpay/contracts';
import { type Deps, holdTransactionLock, withTransaction } from '../../platform/index.js';
import { findActiveFreezeId } from './compliance.repository.js';
import { freezeCustomer } from './freeze-customer.js';
import { getCustomerSecurity } from './get-customer-security.js';

/**
 * A customer freezes their own account, e.g. after losing their phone. Asking twice keeps the one
 * freeze, so a worried customer tapping again does not pile up freezes for staff to lift. Answers
 * with the Security page as it now reads.
 */
export async function freezeOwnAccount(
  deps: Pick<Deps, 'db' | 'pool' | 'clock'>,
  input: { customerId: string; note?: string; ip: string | null; locale: Locale },
): Promise<{ isNew: boolean; security: CustomerSecurity }> {
  const isNew = await withTransaction(deps.pool, async (tx) => {
    // Serialises two taps from the same customer so the check below sees the first one's freeze.
    await holdTransactionLock(tx, `self-freeze:${input.customerId}`);
    if (await findActiveFreezeId(tx, input.customerId, 'customer_request')) return false;
    await freezeCustomer(tx, {
      customerId: input.customerId,
      reason: 'customer_request',
      note: input.note,
      setBy: { type: 'customer', customerId: input.customerId },
      at: deps.clock.now(),
      ip: input.ip,
    });
    return true;
  });
  return { isNew, security: await getCustomerSecurity(deps.db, input.customerId, input.locale) };
}
