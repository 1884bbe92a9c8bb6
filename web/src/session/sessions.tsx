import type { Customer, StaffMember } from '@okpay/contracts';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { getMe, getStaffMe } from '../api/identity';
import { forgetRealm } from '../api/query-client';
import { forgetLastKnown, recall, remember } from '../pwa/last-known';
import { isNetworkOffline } from '../pwa/network-status';
import { setDisplayTimeZone } from '../wallet/money';
import { type SessionHandle, useSessionState } from './use-session-state';

const CustomerSessionContext = createContext<SessionHandle<Customer> | undefined>(undefined);
const StaffSessionContext = createContext<SessionHandle<StaffMember> | undefined>(undefined);

async function fetchCustomer() {
  const me = await getMe();
  setDisplayTimeZone(me.timeZone);
  return { account: me.customer, csrfToken: me.csrfToken };
}

const offlineCustomer = () => recall<Customer>('account')?.data;

async function fetchStaff() {
  const me = await getStaffMe();
  setDisplayTimeZone(me.timeZone);
  return { account: me.staff, csrfToken: me.csrfToken };
}

/** Customers and staff sign in separately, so one browser can hold both sessions at once. */
export function SessionProviders({ children }: { children: ReactNode }) {
  const customer = useSessionState('customer', fetchCustomer, offlineCustomer);
  const staff = useSessionState('staff', fetchStaff);
  // Signed out, or the session ended: what was kept for offline use goes too.
  const isCustomerSignedOut = customer.state.status === 'signed-out';
  useEffect(() => {
    if (isCustomerSignedOut) {
      forgetLastKnown();
      forgetRealm('customer');
    }
  }, [isCustomerSignedOut]);
  const isStaffSignedOut = staff.state.status === 'signed-out';
  useEffect(() => {
    if (isStaffSignedOut) forgetRealm('staff');
  }, [isStaffSignedOut]);
  const signedInCustomer = customer.state.status === 'signed-in' ? customer.state.account : undefined;
  useEffect(() => {
    if (signedInCustomer && !isNetworkOffline()) remember(signedInCustomer.id, 'account', signedInCustomer);
  }, [signedInCustomer]);
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
