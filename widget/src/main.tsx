import type { Locale } from '@okpay/contracts';
import { render } from 'preact';
import { createHttp } from './api/http';
import { widgetStorage } from './api/storage';
import { ChatSession, type OpenOptions } from './chat/chat-session';
import { HelpSuggestions } from './help/help-suggestions';
import { detectLocale } from './i18n/format';
import { textsFor } from './i18n/texts';
import { type OKPayChatApi, replayQueue } from './public-api';
import { App } from './ui/app';
import { widgetCss } from './ui/styles';

declare global {
  interface Window {
    OKPayChat?: Partial<OKPayChatApi> & { q?: unknown[]; isLoaded?: boolean };
  }
}

const version = '1';

// Read while the script is executing: afterwards document.currentScript is null.
const script = document.currentScript as HTMLScriptElement | null;

/** Where the API and socket live: the origin this very script was loaded from, whatever page embeds it. */
function apiOrigin(): string {
  const src = script?.src || document.querySelector<HTMLScriptElement>('script[src*="/widget.js"]')?.src;
  return new URL(src ?? window.location.href).origin;
}

function mount(session: ChatSession): void {
  const host = document.createElement('okpay-chat');
  host.setAttribute('data-okpay-widget', version);
  const shadow = host.attachShadow({ mode: 'open' });
  // Constructed sheets are not subject to the host page's style-src policy; <style> is the fallback.
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(widgetCss);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = widgetCss;
    shadow.appendChild(style);
  }
  document.body.appendChild(host);
  render(<App session={session} help={new HelpSuggestions(session.http, () => session.chatToken())} />, shadow);
}

function boot(): void {
  const existing = window.OKPayChat;
  // Loaded twice (two script tags): the first copy stays in charge.
  if (existing?.isLoaded) return;
  const origin = apiOrigin();
  const locale: Locale = detectLocale(document.documentElement.getAttribute('lang'));
  let session: ChatSession | undefined;
  const http = createHttp(origin, () => textsFor(session?.store.get().locale ?? locale).loadFailed);
  session = new ChatSession(http, widgetStorage(origin), locale);
  const chat = session;

  const api: OKPayChatApi & { isLoaded: true } = {
    open: (options?: OpenOptions) => chat.open(options ?? {}),
    close: () => chat.close(),
    setIdentityProvider: (getToken) => chat.setIdentityProvider(getToken),
    setLocale: (next) => chat.setLocale(next),
    version,
    isLoaded: true,
  };
  const queued = existing?.q;
  window.OKPayChat = api;
  // The identity provider is usually among the queued calls: apply them before looking for a conversation.
  let sawProvider = false;
  replayQueue(queued, {
    ...api,
    setIdentityProvider: (getToken) => {
      sawProvider = true;
      api.setIdentityProvider(getToken);
    },
  });
  if (!sawProvider) void chat.restore();

  // The host page hears when the panel closes, and whether the visitor wrote to us: OKPay's own app
  // then offers to notify them of the answer (a sensible moment to ask, unlike a first visit).
  let wasOpen = chat.store.get().isOpen;
  chat.store.subscribe((state) => {
    if (wasOpen && !state.isOpen) {
      const detail = { hasWritten: chat.hasWritten, conversationId: state.conversation?.id ?? null };
      window.dispatchEvent(new CustomEvent('okpay-chat:closed', { detail }));
    }
    wasOpen = state.isOpen;
  });

  if (document.body) mount(chat);
  else document.addEventListener('DOMContentLoaded', () => mount(chat), { once: true });
}

boot();
