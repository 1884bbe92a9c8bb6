import { App } from 'antd';
import { useState } from 'react';
import { ApiError, messageOf } from '../api/client';
import type { SessionHandle } from './use-session-state';

/**
 * Ends the session on the server, then forgets it here; RequireSession then shows the sign-in page.
 * If the server cannot be reached the person stays signed in and is told why, since the cookie lives on.
 */
export function useSignOut<Account>(session: SessionHandle<Account>, endSession: () => Promise<unknown>) {
  const { message } = App.useApp();
  const [isSigningOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await endSession();
    } catch (error) {
      // A 401 means the session had already lapsed: signed out all the same.
      if (!(error instanceof ApiError && error.status === 401)) {
        setSigningOut(false);
        void message.error(messageOf(error));
        return;
      }
    }
    session.signedOut({ isDeliberate: true });
  };

  return { isSigningOut, signOut };
}
