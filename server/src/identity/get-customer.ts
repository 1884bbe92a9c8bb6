import type { Customer } from '@okpay/contracts';
import { type Deps, PlatformError } from '../platform/index.js';
import { toCustomerView } from './customer-view.js';
import { findCustomerById } from './identity.repository.js';

/** The signed-in customer's account; a session whose customer is gone reads as signed out. */
export async function getCustomer(deps: Pick<Deps, 'db'>, customerId: string): Promise<Customer> {
  const row = await findCustomerById(deps.db, customerId);
  if (!row) throw PlatformError('unauthenticated');
  return toCustomerView(row);
}
