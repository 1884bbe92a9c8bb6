import type { Customer, StaffMember } from '@okpay/contracts';
import { createContext, type ReactNode, useContext } from 'react';
import { getMe, getStaffMe } from '../api/identity';
import { type SessionHandle, useSessionState } from './use-session-state';

const CustomerSessionContext = createContext<SessionHandle<Customer> | undefined>(undefined);
const StaffSessionContext = createContext<SessionHandle<StaffMember> | undefined>(undefined);

async function fetchCustomer() {
  const me = await getMe();
  return { account: me.customer, csrfToken: me.csrfToken };
}

async function fetchStaff() {
  const me = await getStaffMe();
  return { account: me.staff, csrfToken: me.csrfToken };
}

/** Customers and staff sign in separately, so one browser can hold both sessions at once. */
export function SessionProviders({ children }: { children: ReactNode }) {
  const customer = useSessionState('customer', fetchCustomer);
  const staff = useSessionState('staff', fetchStaff);
  return (
    <CustomerSessionContext.Provider value={customer}>
      <StaffSessionContext.Provider value={staff}>{children}</StaffSessionContext.Provider>
    </CustomerSessionContext.Provider>
  );
}

export function useCustomerSession(): SessionHandle<Customer> {
  const handle = useContext(CustomerSessionContext);
  if (!handle) throw new Error('useCustomerSession needs SessionProviders above it');
  return handle;
}

export function useStaffSession(): SessionHandle<StaffMember> {
  const handle = useContext(StaffSessionContext);
  if (!handle) throw new Error('useStaffSession needs SessionProviders above it');
  return handle;
}
