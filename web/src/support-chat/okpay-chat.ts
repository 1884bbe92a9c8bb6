import type { ConversationCategory, LinkedObject, Locale } from '@okpay/contracts';

/** What a page hands the chat widget so the agent sees what the customer is asking about. */
export type ChatOpenOptions = { category: ConversationCategory; links?: LinkedObject[] };

type IdentityProvider = () => Promise<string | null>;

/** `window.OKPayChat` as documented in widget/README.md; until the script has run it is the queueing stub. */
type OKPayChat = {
  open(options?: ChatOpenOptions): void;
  close(): void;
  setIdentityProvider(getToken: IdentityProvider | null): void;
  setLocale(locale: Locale): void;
  /** Set by the real widget once it has booted. */
  isLoaded?: boolean;
  q?: unknown[];
};

declare global {
  interface Window {
    OKPayChat?: OKPayChat;
  }
}

const methods = ['open', 'close', 'setIdentityProvider', 'setLocale'] as const;
export const widgetScriptPath = '/widget.js';

type LoadState = 'idle' | 'loading' | 'loaded' | 'failed';
let loadState: LoadState = 'idle';

/**
 * The embed snippet's stub: calls made before the script has loaded are queued and replayed in order
 * by the widget. It lives in the bundle rather than inline in index.html because the server's CSP
 * (`script-src 'self'`) refuses inline scripts.
 */
export function installChatStub(): void {
  if (!window.OKPayChat) window.OKPayChat = { q: [] } as unknown as OKPayChat;
  const chat = window.OKPayChat;
  chat.q ??= [];
  for (const method of methods) {
    chat[method] ??= ((...args: unknown[]) => {
      chat.q?.push([method, args]);
    }) as never;
  }
}

function chat(): OKPayChat {
  installChatStub();
  return window.OKPayChat as OKPayChat;
}

/** Adds `<script async src="/widget.js">` once. Customer pages only: staff have the console, and the widget cannot be hidden again. */
export function loadChatWidget(): void {
  if (loadState !== 'idle') return;
  installChatStub();
  loadState = 'loading';
  const script = document.createElement('script');
  script.async = true;
  script.src = widgetScriptPath;
  script.addEventListener('load', () => {
    // The script ran but did not boot (it threw, or something else answered): treat it as missing.
    loadState = window.OKPayChat?.isLoaded ? 'loaded' : 'failed';
  });
  script.addEventListener('error', () => {
    loadState = 'failed';
  });
  document.head.appendChild(script);
}

/** Whether this document has the widget (or is fetching it). */
export function isChatWidgetInDocument(): boolean {
  return loadState !== 'idle';
}

/**
 * Opens the chat about something. While the script is still on its way the call is queued and the
 * chat opens once it arrives; false only when the widget could not be loaded (blocked or offline).
 */
export function openChat(options: ChatOpenOptions): boolean {
  if (window.OKPayChat?.isLoaded) {
    window.OKPayChat.open(options);
    return true;
  }
  if (loadState !== 'loading') return false;
  chat().open(options);
  return true;
}

export function setChatIdentityProvider(getToken: IdentityProvider): void {
  chat().setIdentityProvider(getToken);
}

export function setChatLocale(locale: Locale): void {
  chat().setLocale(locale);
}
