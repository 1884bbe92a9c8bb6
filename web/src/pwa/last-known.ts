// The last answers the app showed for a customer (their profile, balances, the newest history), kept
// on this device so the app can open offline and say how old they are. Never used while online
// except as a label; forgotten on sign-out, when the session ends, and after the longest a session
// lives (12 hours), so whoever picks up a shared computer later does not see them.

const storageKey = 'okpay.lastKnown';
const maxAgeMs = 12 * 3_600_000;

type Entry = { savedAt: number; data: unknown };
type Slot = { customerId: string; entries: Record<string, Entry> };

function read(): Slot | undefined {
  try {
    const raw = window.localStorage.getItem(storageKey);
    if (!raw) return undefined;
    const slot = JSON.parse(raw) as Slot;
    return typeof slot?.customerId === 'string' && typeof slot.entries === 'object' ? slot : undefined;
  } catch {
    return undefined;
  }
}

function write(slot: Slot | undefined): void {
  try {
    if (slot) window.localStorage.setItem(storageKey, JSON.stringify(slot));
    else window.localStorage.removeItem(storageKey);
  } catch {
    // Storage full or blocked: the app simply has nothing to show offline.
  }
}

/** Keeps an answer for this customer; another customer's answers are dropped first. */
export function remember(customerId: string, key: string, data: unknown, now = Date.now()): void {
  const slot = read();
  const entries = slot?.customerId === customerId ? slot.entries : {};
  write({ customerId, entries: { ...entries, [key]: { savedAt: now, data } } });
}

/** The kept answer and when it was fetched, if recent enough (and this customer's, when named). */
export function recall<T>(key: string, customerId?: string, now = Date.now()): { data: T; savedAt: number } | undefined {
  const slot = read();
  if (!slot || (customerId !== undefined && slot.customerId !== customerId)) return undefined;
  const entry = slot.entries[key];
  if (!entry || now - entry.savedAt > maxAgeMs || entry.savedAt > now + 60_000) return undefined;
  return { data: entry.data as T, savedAt: entry.savedAt };
}

export function forgetLastKnown(): void {
  write(undefined);
}
