/**
 * What `promise` settles to, or `fallback` once `ms` have passed without it: for a wait that must
 * not hang on a peer that does not answer (a probe, a close, a LISTEN). A rejection in time is
 * passed on. The timer is cleared as soon as either side wins, so a wait that ends early holds
 * nothing open; the promise itself is not cancelled.
 */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
