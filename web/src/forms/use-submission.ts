import { useCallback, useState } from 'react';
import { messageOf } from '../api/client';

/**
 * The state every form shares: busy while the request runs, and the server's message when it fails.
 * `run` resolves to whether the action succeeded; `clear` forgets the last error (a dialog opened again).
 */
export function useSubmission() {
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const run = useCallback(async (action: () => Promise<unknown>, onError?: (error: unknown) => void): Promise<boolean> => {
    setSubmitting(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(messageOf(caught));
      onError?.(caught);
      return false;
    } finally {
      setSubmitting(false);
    }
  }, []);

  const clear = useCallback(() => setError(undefined), []);

  return { isSubmitting, error, run, clear };
}
