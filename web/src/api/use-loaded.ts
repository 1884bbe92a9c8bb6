import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
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
  options: { enabled?: boolean; refetchInterval?: number | false; keepPrevious?: boolean } = {},
): Loaded<T> {
  const { keepPrevious, ...rest } = options;
  // Another key (new filters) keeps showing the last answer, dimmed by `isLoading`, until its own arrives.
  const query = useQuery({ queryKey: key, queryFn: load, placeholderData: keepPrevious ? keepPreviousData : undefined, ...rest });
  const { refetch } = query;
  // Stable while the query is: effects and callbacks may depend on it.
  const reload = useCallback(async () => {
    await refetch();
  }, [refetch]);
  return {
    data: query.data,
    error: query.error ? messageOf(query.error) : undefined,
    isLoading: query.isFetching,
    reload,
  };
}
