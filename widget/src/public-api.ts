import type { Locale } from '@okpay/contracts';
import type { IdentityProvider } from './api/identity';
import type { OpenOptions } from './chat/chat-session';

/** `window.OKPayChat`: what a host page may call. */
export type OKPayChatApi = {
  open(options?: OpenOptions): void;
  close(): void;
  setIdentityProvider(getToken: IdentityProvider | null): void;
  setLocale(locale: Locale): void;
  readonly version: string;
};

const methods = ['open', 'close', 'setIdentityProvider', 'setLocale'] as const;
type Method = (typeof methods)[number];

/**
 * Calls a host page queued before the script arrived, in order. The stub in the embed snippet pushes
 * `[method, args]`; anything else in the queue is ignored rather than allowed to break the page.
 */
export function replayQueue(queue: unknown, api: Pick<OKPayChatApi, Method>): void {
  if (!Array.isArray(queue)) return;
  for (const entry of queue) {
    if (!Array.isArray(entry)) continue;
    const [method, args] = entry as [unknown, unknown];
    if (typeof method !== 'string' || !(methods as readonly string[]).includes(method)) continue;
    const list = Array.isArray(args) ? args : [];
    try {
      (api[method as Method] as (...values: unknown[]) => void)(...list);
    } catch {
      // One bad call must not stop the rest.
    }
  }
}
