import { type QueryKey, useQuery } from '@tanstack/react-query';
import { messageOf } from './client';

export type Loaded<T> = {
  data: T | undefined;
  /** The server's message when the last load failed. */
  error: string | undefined;
  isLoading: boolean;
  reload(): Promise<void>;
};

/**
 * Server state for a page, through the app's query cache (see query-client.ts): loaded on mount,
 * shared by every component asking with the same key, refreshed on `reload`. The key names what is
 * loaded, realm first (`['staff', 'verification', id]`); `load` reads it.
 */
export function useLoaded<T>(
  key: QueryKey,
  load: () => Promise<T>,
  options: { enabled?: boolean; refetchInterval?: number | false } = {},
): Loaded<T> {
  const query = useQuery({ queryKey: key, queryFn: load, ...options });
  return {
    data: query.data,
    error: query.error ? messageOf(query.error) : undefined,
    isLoading: query.isFetching,
    reload: async () => {
      await query.refetch();
    },
  };
}
