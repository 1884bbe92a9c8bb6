import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isNetworkError, messageOf } from '../api/client';
import { useCustomerSession } from '../session/sessions';
import { recall, remember } from './last-known';
import { onBackOnline } from './network-status';

export type LastKnown<T> = {
  data: T | undefined;
  error: string | undefined;
  isLoading: boolean;
  /** When the shown data came from the server. */
  updatedAt: number | undefined;
  /** Shown from memory (this page's or this device's) because the server cannot be reached: must be labelled as such. */
  isFromMemory: boolean;
  reload(): Promise<void>;
};

/**
 * Loads money data fresh from the server (through the query cache, never stale by design), keeps
 * the answer on this device, and only when the server cannot be reached shows the kept one, marked
 * with its time (never silently stale). `load` must be stable.
 */
export function useLastKnown<T>(key: string, load: () => Promise<T>): LastKnown<T> {
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const query = useQuery({
    queryKey: ['customer', 'last-known', customerId, key],
    queryFn: async () => {
      const data = await load();
      if (customerId) remember(customerId, key, data, Date.now());
      return data;
    },
    // Unreachable is answered from memory at once; coming back online asks again (below).
    retry: false,
  });
  const { refetch } = query;
  useEffect(() => onBackOnline(() => void refetch()), [refetch]);

  const isUnreachable = query.isError && isNetworkError(query.error);
  const kept = isUnreachable && query.data === undefined && customerId ? recall<T>(key, customerId) : undefined;
  const hasNothingToShow = query.data === undefined && kept === undefined;
  return {
    data: query.data ?? kept?.data,
    error: query.isError && (!isUnreachable || hasNothingToShow) ? messageOf(query.error) : undefined,
    isLoading: query.isFetching,
    updatedAt: query.data !== undefined ? query.dataUpdatedAt : kept?.savedAt,
    isFromMemory: isUnreachable && (query.data !== undefined || kept !== undefined),
    reload: async () => {
      await refetch();
    },
  };
}
