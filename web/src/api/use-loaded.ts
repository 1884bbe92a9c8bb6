import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from './client';

export type Loaded<T> = {
  data: T | undefined;
  /** The server's message when the last load failed. */
  error: string | undefined;
  isLoading: boolean;
  reload(): Promise<void>;
};

/**
 * Loads once on mount and again on `reload`. `load` must be stable (a module function or a
 * useCallback); only the latest call's answer is kept, so a slow earlier answer cannot overwrite it.
 */
export function useLoaded<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [isLoading, setLoading] = useState(true);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const call = ++latest.current;
    setLoading(true);
    try {
      const answer = await load();
      if (call !== latest.current) return;
      setData(answer);
      setError(undefined);
    } catch (caught) {
      if (call === latest.current) setError(messageOf(caught));
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, isLoading, reload };
}
