import { useEffect, useState } from 'react';
import { serverNow } from '../api/client';

/** Whole seconds left until `deadline` (an ISO time on the server's clock), ticking; 0 once it has passed. */
export function useCountdown(deadline: string | undefined): number {
  const secondsLeft = () => (deadline ? Math.max(0, Math.ceil((Date.parse(deadline) - serverNow()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(secondsLeft);

  // biome-ignore lint/correctness/useExhaustiveDependencies: secondsLeft only reads deadline, which is listed.
  useEffect(() => {
    setSeconds(secondsLeft());
    if (!deadline) return;
    const timer = setInterval(() => {
      const left = secondsLeft();
      setSeconds(left);
      if (left === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [deadline]);

  return seconds;
}
