import { useSyncExternalStore } from 'react';

// Whether OKPay can be reached from here: the browser's own idea (navigator.onLine) and what our
// requests found out (a fetch that could not reach the server). While offline, /healthz is asked
// now and then, so the app notices the way back even when the browser never said it was gone.

const listeners = new Set<() => void>();
const backOnlineListeners = new Set<() => void>();
let isOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
let probe: ReturnType<typeof setInterval> | undefined;
const probeEveryMs = 10_000;

function set(offline: boolean): void {
  if (offline === isOffline) return;
  isOffline = offline;
  for (const listener of listeners) listener();
  if (offline && probe === undefined) probe = setInterval(() => void checkServer(), probeEveryMs);
  if (!offline) {
    if (probe !== undefined) clearInterval(probe);
    probe = undefined;
    for (const listener of backOnlineListeners) listener();
  }
}

async function checkServer(): Promise<void> {
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    if (response.ok) set(false);
  } catch {
    // Still offline.
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => set(true));
  window.addEventListener('online', () => void checkServer());
}

/** A request could not reach the server (network down, server unreachable). */
export function reportNetworkFailure(): void {
  set(true);
}

/** A request got an answer: we are online. */
export function reportNetworkSuccess(): void {
  set(false);
}

export function isNetworkOffline(): boolean {
  return isOffline;
}

/** Runs when the app can reach the server again, e.g. to refresh what it showed from memory. */
export function onBackOnline(listener: () => void): () => void {
  backOnlineListeners.add(listener);
  return () => backOnlineListeners.delete(listener);
}

export function useIsOffline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => isOffline,
  );
}
