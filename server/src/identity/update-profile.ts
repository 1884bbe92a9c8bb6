import type { Customer, UpdateProfileRequest } from '@okpay/contracts';
import { type Deps, PlatformError } from '../platform/index.js';
import { toCustomerView } from './customer-view.js';
import { updateCustomer } from './identity.repository.js';

/** Changes the display name or the language emails and messages are written in. */
export async function updateProfile(
  deps: Pick<Deps, 'db' | 'clock'>,
  customerId: string,
  changes: UpdateProfileRequest,
): Promise<Customer> {
  const row = await updateCustomer(deps.db, customerId, { ...changes, updatedAt: deps.clock.now() });
  if (!row) throw PlatformError('unauthenticated');
  return toCustomerView(row);
}
