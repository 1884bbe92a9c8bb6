import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, isNetworkError, onUnauthenticated, type Realm, setCsrfToken } from '../api/client';
import { onBackOnline } from '../pwa/network-status';

export type SessionState<Account> =
  | { status: 'unknown' }
  | { status: 'loading' }
  | { status: 'signed-out'; isDeliberate: boolean }
  | { status: 'failed'; error: unknown }
  | { status: 'signed-in'; account: Account };

export type SessionHandle<Account> = {
  state: SessionState<Account>;
  /** Asks the server who is signed in (again); a 401 means nobody. */
  load(): Promise<void>;
  signedIn(account: Account, csrfToken: string): void;
  /** Forgets the session; deliberate when the person signed out rather than the session lapsing. */
  signedOut(options?: { isDeliberate?: boolean }): void;
};

/**
 * One signed-in principal of a realm (customer or staff), remembered for the whole page and
 * forgotten when the server says the session is gone. `fetchMe` must be a stable function.
 */
export function useSessionState<Account>(
  realm: Realm,
  fetchMe: () => Promise<{ account: Account; csrfToken: string }>,
  /** Who was signed in when the server last answered, to open the app offline (read-only); must be stable. */
  offlineAccount?: () => Account | undefined,
): SessionHandle<Account> {
  const [state, setState] = useState<SessionState<Account>>({ status: 'unknown' });

  // Bumped by every sign-in and sign-out: an answer to /me asked before one of them is out of date
  // (a 401 for the visitor who has just signed in must not sign them out again).
  const changes = useRef(0);

  const signedIn = useCallback(
    (account: Account, csrfToken: string) => {
      changes.current += 1;
      setCsrfToken(realm, csrfToken);
      setState({ status: 'signed-in', account });
    },
    [realm],
  );

  const signedOut = useCallback(
    (options: { isDeliberate?: boolean } = {}) => {
      changes.current += 1;
      setCsrfToken(realm, undefined);
      setState({ status: 'signed-out', isDeliberate: options.isDeliberate ?? false });
    },
    [realm],
  );

  // Several parts of a page may ask at once (layout, page, chat widget): one request serves them all.
  const inFlight = useRef<Promise<void> | undefined>(undefined);
  const load = useCallback(() => {
    if (inFlight.current) return inFlight.current;
    // A refresh while signed in keeps the page on screen instead of flashing a spinner.
    setState((previous) => (previous.status === 'signed-in' ? previous : { status: 'loading' }));
    const asked = changes.current;
    inFlight.current = (async () => {
      try {
        const me = await fetchMe();
        if (changes.current === asked) signedIn(me.account, me.csrfToken);
      } catch (error) {
        if (changes.current !== asked) return;
        const remembered = isNetworkError(error) ? offlineAccount?.() : undefined;
        if (error instanceof ApiError && error.status === 401) signedOut();
        // Offline: show what was last known, read-only (no CSRF token, so nothing can change), and ask again once back.
        else if (remembered)
          setState((previous) => (previous.status === 'signed-in' ? previous : { status: 'signed-in', account: remembered }));
        else setState({ status: 'failed', error });
      } finally {
        inFlight.current = undefined;
      }
    })();
    return inFlight.current;
  }, [fetchMe, signedIn, signedOut, offlineAccount]);

  useEffect(() => onUnauthenticated((gone) => gone === realm && signedOut()), [realm, signedOut]);
  // Back online after opening offline: the server says whether the session still holds.
  const hasState = state.status !== 'unknown';
  useEffect(() => (offlineAccount && hasState ? onBackOnline(() => void load()) : undefined), [offlineAccount, hasState, load]);

  return useMemo(() => ({ state, load, signedIn, signedOut }), [state, load, signedIn, signedOut]);
}
