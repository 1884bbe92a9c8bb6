import { useEffect, useRef } from 'preact/hooks';
import type { ChatSession, WidgetState } from '../chat/chat-session';
import { unreadCount } from '../chat/thread';
import type { HelpSuggestions } from '../help/help-suggestions';
import { textsFor } from '../i18n/texts';
import { CallScreen } from './call-screen';
import { CallbackScreen, CallbackSentScreen } from './callback-screen';
import { ChatScreen } from './chat-screen';
import { ChatIcon, CloseIcon } from './icons';
import { OfflineScreen, OfflineSentScreen } from './offline-screen';
import { StartScreen } from './start-screen';
import { useStore } from './use-store';
import { VoicemailScreen, VoicemailSentScreen } from './voicemail-screen';

/** The bubble and, when open, the chat panel: a non-modal dialog that Esc closes. */
export function App({ session, help }: { session: ChatSession; help: HelpSuggestions }) {
  const state = useStore(session.store);
  const t = textsFor(state.locale);
  const bubbleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const wasOpen = useRef(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const unread = state.thread ? unreadCount(state.thread) : 0;

  // Focus moves into the panel when it opens and onto each new screen's first field.
  useEffect(() => {
    const panel = panelRef.current;
    if (!state.isOpen || !panel) return;
    const target = panel.querySelector<HTMLElement>('[data-autofocus]') ?? panel;
    target.focus();
  }, [state.isOpen, state.screen]);

  // Closing returns focus to the bubble if focus was in the widget (not when the page closed it on its own).
  useEffect(() => {
    if (wasOpen.current && !state.isOpen) {
      const root = bubbleRef.current?.getRootNode() as ShadowRoot | undefined;
      const focusInWidget = !root?.activeElement || root.activeElement === bubbleRef.current || root.host === document.activeElement;
      if (focusInWidget) bubbleRef.current?.focus();
    }
    wasOpen.current = state.isOpen;
  }, [state.isOpen]);

  const toggle = () => (state.isOpen ? session.close() : session.open());
  // Esc anywhere in the widget closes the panel and gives focus back to the bubble.
  useEffect(() => {
    const root = rootRef.current;
    if (!root || !state.isOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      session.close();
      bubbleRef.current?.focus();
    };
    root.addEventListener('keydown', onKeyDown);
    return () => root.removeEventListener('keydown', onKeyDown);
  }, [session, state.isOpen]);

  const subtitle =
    state.screen === 'chat' && state.conversation?.agent
      ? t.agentJoined(state.conversation.agent.name)
      : state.screen === 'chat'
        ? t.waitingForAgent
        : t.tagline;

  return (
    <div ref={rootRef} class="root" lang={state.locale}>
      <button
        ref={bubbleRef}
        type="button"
        class="bubble"
        aria-label={unread > 0 ? t.bubbleUnread(unread) : t.bubbleLabel}
        aria-expanded={state.isOpen}
        aria-controls="okpay-chat-panel"
        onClick={toggle}
      >
        <ChatIcon />
        {unread > 0 && (
          <span class="badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {state.isOpen && (
        <section
          ref={panelRef}
          id="okpay-chat-panel"
          class="panel"
          role="dialog"
          aria-modal="false"
          aria-labelledby="okpay-chat-title"
          tabIndex={-1}
        >
          <header class="header">
            <div class="header-text">
              <h1 class="title" id="okpay-chat-title">
                {t.panelTitle}
                {state.isVerified && state.identityKind === 'customer' && <span class="verified">✓ {t.verified}</span>}
              </h1>
              <p class="subtitle">{subtitle}</p>
            </div>
            <button type="button" class="icon-button" aria-label={t.close} onClick={() => session.close()}>
              <CloseIcon />
            </button>
          </header>
          <Screen session={session} state={state} help={help} />
        </section>
      )}
      <div class="sr-only" role="status" aria-live="polite">
        {state.announcement}
      </div>
    </div>
  );
}

function Screen({ session, state, help }: { session: ChatSession; state: WidgetState; help: HelpSuggestions }) {
  const t = textsFor(state.locale);
  switch (state.screen) {
    case 'loading':
      return (
        <div class="body">
          <div class="center">
            <div class="spinner" aria-hidden="true" />
            <p>{t.loading}</p>
          </div>
        </div>
      );
    case 'error':
      return (
        <div class="body">
          <div class="center">
            <p role="alert">{state.error ?? t.loadFailed}</p>
            <button type="button" class="secondary" data-autofocus onClick={() => void session.prepare()}>
              {t.tryAgain}
            </button>
          </div>
        </div>
      );
    case 'start':
      return <StartScreen session={session} state={state} help={help} />;
    case 'offline':
      return <OfflineScreen session={session} state={state} help={help} />;
    case 'offline-sent':
      return <OfflineSentScreen session={session} state={state} />;
    case 'callback':
      return <CallbackScreen session={session} state={state} />;
    case 'callback-sent':
      return <CallbackSentScreen session={session} state={state} />;
    case 'voicemail':
      return <VoicemailScreen session={session} state={state} />;
    case 'voicemail-sent':
      return <VoicemailSentScreen session={session} state={state} />;
    case 'chat':
      return <ChatScreen session={session} state={state} />;
    case 'call':
      return <CallScreen session={session} state={state} />;
  }
}
