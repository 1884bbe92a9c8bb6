/**
 * The widget's corner of the host page's localStorage: the visitor token (so a visitor keeps their
 * conversation) and how far each conversation has been seen. Never message text: a shared computer
 * must not show someone's chat to the next person. Storage can be blocked (private modes, sandboxed
 * frames), so every access may fail and the widget then simply forgets.
 */
export type StoredVisitor = { token: string; expiresAt: string };
type Stored = { visitor?: StoredVisitor; seen?: Record<string, number> };

const keptConversations = 10;

export type WidgetStorage = {
  visitor(): StoredVisitor | undefined;
  setVisitor(visitor: StoredVisitor | undefined): void;
  seenSeq(conversationId: string): number;
  setSeenSeq(conversationId: string, seq: number): void;
};

export function widgetStorage(
  apiOrigin: string,
  backend: Pick<Storage, 'getItem' | 'setItem'> | undefined = safeLocalStorage(),
): WidgetStorage {
  const key = `okpay-chat:${apiOrigin}`;
  const read = (): Stored => {
    try {
      const raw = backend?.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === 'object' ? (parsed as Stored) : {};
    } catch {
      return {};
    }
  };
  const write = (change: (stored: Stored) => Stored) => {
    try {
      backend?.setItem(key, JSON.stringify(change(read())));
    } catch {
      // Full or blocked: the widget still works, it just forgets on reload.
    }
  };
  return {
    visitor: () => {
      const visitor = read().visitor;
      return typeof visitor?.token === 'string' && typeof visitor.expiresAt === 'string' ? visitor : undefined;
    },
    setVisitor: (visitor) => write((stored) => ({ ...stored, visitor })),
    seenSeq: (conversationId) => {
      const seq = read().seen?.[conversationId];
      return typeof seq === 'number' && Number.isFinite(seq) ? seq : 0;
    },
    setSeenSeq: (conversationId, seq) =>
      write((stored) => {
        const seen = { ...stored.seen };
        delete seen[conversationId];
        seen[conversationId] = Math.max(seq, stored.seen?.[conversationId] ?? 0);
        // Insertion order is recency: keep the latest few conversations only.
        const kept = Object.entries(seen).slice(-keptConversations);
        return { ...stored, seen: Object.fromEntries(kept) };
      }),
  };
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
