import { useCallback, useEffect, useRef, useState } from 'react';
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
  /** Shown from this device's memory because the server cannot be reached: must be labelled as such. */
  isFromMemory: boolean;
  reload(): Promise<void>;
};

/**
 * Loads money data fresh from the server, keeps the answer on this device, and only when the
 * server cannot be reached shows the kept one, marked with its time (never silently stale).
 * `key` null loads without keeping (e.g. a filtered view). `load` must be stable.
 */
export function useLastKnown<T>(key: string | null, load: () => Promise<T>): LastKnown<T> {
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const [state, setState] = useState<Omit<LastKnown<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    isLoading: true,
    updatedAt: undefined,
    isFromMemory: false,
  });
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const call = ++latest.current;
    setState((previous) => ({ ...previous, isLoading: true }));
    try {
      const data = await load();
      if (call !== latest.current) return;
      const now = Date.now();
      if (key && customerId) remember(customerId, key, data, now);
      setState({ data, error: undefined, isLoading: false, updatedAt: now, isFromMemory: false });
    } catch (caught) {
      if (call !== latest.current) return;
      const kept = key && customerId && isNetworkError(caught) ? recall<T>(key, customerId) : undefined;
      setState((previous) =>
        kept
          ? { data: kept.data, error: undefined, isLoading: false, updatedAt: kept.savedAt, isFromMemory: true }
          : { ...previous, error: messageOf(caught), isLoading: false },
      );
    }
  }, [key, customerId, load]);

  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => onBackOnline(() => void reload()), [reload]);

  return { ...state, reload };
}
