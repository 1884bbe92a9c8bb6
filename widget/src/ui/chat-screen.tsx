import type { LinkedObject } from '@okpay/contracts';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { WidgetApiError } from '../api/http';
import { type ChatSession, isLive, type WidgetState } from '../chat/chat-session';
import { timeline } from '../chat/thread';
import { formatDateTime, formatMoney, waitMinutes } from '../i18n/format';
import { type Texts, textsFor } from '../i18n/texts';
import { ImageIcon } from './icons';
import { MessageItem, OutgoingItem } from './message-item';
import { RatingCard } from './rating-card';

/** The conversation: who is helping (or where you are in the queue), the messages, and the composer. */
export function ChatScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  const { thread, conversation } = state;
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const items = thread ? timeline(thread) : [];
  const live = isLive(conversation);

  // Follow new messages unless the customer has scrolled up to read older ones; images that load
  // later grow the list, so watch its size rather than only the number of messages.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stickToBottom.current) log.scrollTop = log.scrollHeight;
  }, [items.length, state.agentTyping]);
  useEffect(() => {
    const log = logRef.current;
    const list = log?.firstElementChild;
    if (!log || !list || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) log.scrollTop = log.scrollHeight;
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  // Messages on screen while the panel is open and the tab visible count as read.
  useEffect(() => {
    session.markVisibleRead();
  }, [session, thread?.messages.size, state.isOpen]);
  useEffect(() => {
    const onVisible = () => session.markVisibleRead();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [session]);

  return (
    <div class="chat">
      <Banner state={state} t={t} />
      <div
        ref={logRef}
        class="log"
        role="log"
        aria-live="polite"
        aria-label={t.panelTitle}
        onScroll={(event) => {
          const log = event.currentTarget;
          stickToBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        }}
      >
        <ol class="log-list">
          <Linked state={state} t={t} />
          {items.length === 0 && <li class="empty">{t.emptyChat}</li>}
          {thread &&
            items.map((item) =>
              item.kind === 'message' ? (
                <MessageItem
                  key={item.message.id}
                  message={item.message}
                  thread={thread}
                  session={session}
                  locale={state.locale}
                  timeZone={state.timeZone}
                />
              ) : (
                <OutgoingItem key={item.outgoing.clientMessageId} outgoing={item.outgoing} session={session} locale={state.locale} />
              ),
            )}
          {conversation && !live && (
            // Keyed by status: a chat resolved again (after a reopen) asks the server afresh.
            <RatingCard
              key={`${conversation.id}-${conversation.status}`}
              session={session}
              conversationId={conversation.id}
              locale={state.locale}
            />
          )}
        </ol>
      </div>
      <div class="typing" aria-live="polite">
        {state.agentTyping ? t.agentTyping : ''}
      </div>
      {live ? (
        <Composer session={session} state={state} t={t} />
      ) : (
        <div class="ended">
          <span>{t.conversationEnded}</span>
          <button type="button" class="secondary" data-autofocus onClick={() => session.startOver()}>
            {t.newConversation}
          </button>
        </div>
      )}
    </div>
  );
}

/** What the customer attached (a failed top-up, say), so they can see the agent has it without retyping. */
function Linked({ state, t }: { state: WidgetState; t: Texts }) {
  const links = state.conversation?.links ?? [];
  if (links.length === 0) return null;
  const describe = (link: LinkedObject) => {
    const item = state.picker.items.find((candidate) => (link.type === 'top_up' ? candidate.topUpId : candidate.transactionId) === link.id);
    if (!item) return t.linkedObject[link.type];
    const status = t.transactionStatuses[item.status] ?? item.status;
    const amount = formatMoney(item.amount);
    return `${t.transactionTypes[item.type] ?? item.type} ${amount} ${status} · ${formatDateTime(item.createdAt, state.locale, state.timeZone)}`;
  };
  return (
    <li class="linked">
      <span class="linked-heading">{t.linkedHeading}</span>
      {links.map((link) => (
        <span key={link.id} class="linked-item">
          {describe(link)}
        </span>
      ))}
    </li>
  );
}

function Banner({ state, t }: { state: WidgetState; t: Texts }) {
  const { conversation, connection } = state;
  if (connection === 'reconnecting') return <div class="banner warn">{t.reconnecting}</div>;
  if (!conversation || !isLive(conversation) || conversation.agent) return null;
  const queue = conversation.queue;
  if (!queue) return <div class="banner queue">{t.waitingForAgent}</div>;
  // Honest about the wait: whole minutes from the server's estimate, or plainly that nobody is online.
  return (
    <div class="banner queue">
      <strong>{t.queuePosition(queue.position)}</strong>
      {' · '}
      {queue.agentsOnline > 0 ? t.queueWait(waitMinutes(queue.estimatedWaitSeconds)) : t.queueNoAgents}
    </div>
  );
}

function Composer({ session, state, t }: { session: ChatSession; state: WidgetState; t: Texts }) {
  const [text, setText] = useState('');
  const [imageError, setImageError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const send = () => {
    if (!text.trim()) return;
    session.send(text);
    setText('');
    textRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Enter sends, Shift+Enter is a new line; never send while a Chinese IME is composing.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const onFile = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const refused = session.sendImage(file, '');
    setImageError(refused);
  };

  return (
    <div class="composer">
      <div class="composer-row">
        <input
          ref={fileRef}
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp"
          class="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          onChange={onFile}
        />
        <button type="button" class="icon-button" aria-label={t.attachImage} title={t.attachImage} onClick={() => fileRef.current?.click()}>
          <ImageIcon />
        </button>
        <textarea
          ref={textRef}
          rows={1}
          maxLength={4000}
          aria-label={t.composerLabel}
          aria-describedby="okpay-composer-hint"
          placeholder={t.composerPlaceholder}
          data-autofocus
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value);
            const area = event.currentTarget;
            area.style.height = 'auto';
            area.style.height = `${Math.min(area.scrollHeight + 2, 120)}px`;
            session.noteTyping();
          }}
          onKeyDown={onKeyDown}
          onBlur={() => session.stopTyping()}
        />
        <button type="button" class="send" disabled={!text.trim()} onClick={send}>
          {t.send}
        </button>
      </div>
      {imageError && (
        <p class="error" role="alert">
          {imageError}
        </p>
      )}
      <div class="composer-foot">
        <Transcript session={session} state={state} t={t} />
        <span class="hint-keys" id="okpay-composer-hint">
          {t.composerHint}
        </span>
      </div>
    </div>
  );
}

/**
 * "Email me the transcript": customers get it at their account's verified address; a visitor types
 * an address, gets a code there and types it back, so nobody can send a chat to someone else.
 */
function Transcript({ session, state, t }: { session: ChatSession; state: WidgetState; t: Texts }) {
  const [step, setStep] = useState<'idle' | 'email' | 'code'>('idle');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [isSending, setSending] = useState(false);
  const needsEmail = state.identityKind !== 'customer';

  const run = async (request: () => Promise<{ status: 'sent' | 'verification_required'; message: string }>) => {
    setSending(true);
    try {
      const answer = await request();
      setResult({ ok: true, text: answer.message });
      setStep(answer.status === 'verification_required' ? 'code' : 'idle');
    } catch (error) {
      setResult({ ok: false, text: error instanceof Error ? error.message : t.transcriptFailed });
      // A code already went out for this chat: the next thing to do is type it.
      if (error instanceof WidgetApiError && error.code === 'transcript_verification_pending') setStep('code');
    } finally {
      setSending(false);
    }
  };

  const status = result && (
    <span class={result.ok ? 'small-status' : 'failed-label'} role="status">
      {result.text}
    </span>
  );
  const cancel = (
    <button type="button" class="link-button" onClick={() => setStep('idle')}>
      {t.transcriptCancel}
    </button>
  );

  if (step === 'email') {
    return (
      <form
        class="transcript-form"
        onSubmit={(event) => {
          event.preventDefault();
          if ((event.currentTarget as HTMLFormElement).reportValidity()) void run(() => session.emailTranscript(email.trim()));
        }}
      >
        <label class="field">
          {t.transcriptEmailLabel}
          <input
            class="input"
            type="email"
            required
            autocomplete="email"
            value={email}
            aria-describedby="okpay-transcript-hint"
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          <span class="field-hint" id="okpay-transcript-hint">
            {t.transcriptEmailHint}
          </span>
        </label>
        <button type="submit" class="secondary" disabled={isSending}>
          {t.transcriptSend}
        </button>
        {cancel}
      </form>
    );
  }
  if (step === 'code') {
    return (
      <div class="transcript">
        {status}
        <form
          class="transcript-form"
          onSubmit={(event) => {
            event.preventDefault();
            if ((event.currentTarget as HTMLFormElement).reportValidity()) void run(() => session.confirmTranscript(code.trim()));
          }}
        >
          <label class="field">
            {t.transcriptCodeLabel}
            <input
              class="input"
              required
              inputMode="numeric"
              pattern="[0-9]{6}"
              maxLength={6}
              autocomplete="one-time-code"
              value={code}
              onInput={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
            />
          </label>
          <button type="submit" class="secondary" disabled={isSending}>
            {t.transcriptConfirm}
          </button>
          {cancel}
        </form>
      </div>
    );
  }
  return (
    <div class="transcript">
      <button
        type="button"
        class="link-button"
        disabled={isSending}
        onClick={() => {
          setResult(null);
          if (needsEmail) setStep('email');
          else void run(() => session.emailTranscript());
        }}
      >
        {t.transcript}
      </button>
      {status}
    </div>
  );
}
