import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { isNetworkError, onUnauthenticated, type Realm } from './client';

/**
 * The one cache of server state for the web app and the console. Every query key starts with the
 * realm whose session it was read with (`['customer', …]`, `['staff', …]`), so a session that ends
 * takes exactly its own answers with it. Money is never shown stale: answers are stale at once,
 * fetched again when a page mounts or the window regains focus, and only a network failure is
 * retried (a refusal is an answer).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 0,
      retry: (failures, error) => isNetworkError(error) && failures < 2,
    },
  },
});

export function realmKey(realm: Realm, ...parts: unknown[]): QueryKey {
  return [realm, ...parts];
}

/** Forgets everything read with a realm's session: signed out, or the server no longer knows it. */
export function forgetRealm(realm: Realm): void {
  queryClient.removeQueries({ queryKey: [realm] });
}

onUnauthenticated(forgetRealm);
