import type { ChatMessage, Locale } from '@okpay/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { ChatSession } from '../chat/chat-session';
import { isOwnMessage, isReadByAgent, type Outgoing, type Thread } from '../chat/thread';
import { formatTime } from '../i18n/format';
import { textsFor } from '../i18n/texts';
import { ShieldIcon } from './icons';

export function MessageItem({
  message,
  thread,
  session,
  locale,
  timeZone,
}: {
  message: ChatMessage;
  thread: Thread;
  session: ChatSession;
  locale: Locale;
  timeZone: string;
}) {
  const t = textsFor(locale);
  const own = isOwnMessage(message);
  const isSystem = message.authorType === 'system';
  const author = own ? t.you : isSystem ? t.system : (message.authorName ?? t.agent);
  const redactions = own ? message.redactions : null;
  return (
    <li class={own ? 'msg own' : isSystem ? 'msg system' : 'msg'}>
      {!own && !isSystem && <span class="author">{author}</span>}
      {own && <span class="sr-only">{author}：</span>}
      {message.attachment && <Thumbnail attachment={message.attachment} session={session} locale={locale} />}
      {message.body && <div class="text">{message.body}</div>}
      {!isSystem && (
        <div class="meta">
          <time dateTime={message.createdAt}>{formatTime(message.createdAt, locale, timeZone)}</time>
          {own && (isReadByAgent(thread, message) ? <span class="read">{t.read}</span> : <span>{t.delivered}</span>)}
        </div>
      )}
      {redactions && (redactions.card || redactions.resident_id) ? (
        <p class="redacted">
          <ShieldIcon /> {t.redacted(redactions)}
        </p>
      ) : null}
    </li>
  );
}

/** A message the server has not confirmed: 发送中 while it retries by itself, 未发送 with a retry button after. */
export function OutgoingItem({ outgoing, session, locale }: { outgoing: Outgoing; session: ChatSession; locale: Locale }) {
  const t = textsFor(locale);
  const failed = outgoing.state === 'failed';
  return (
    <li class={failed ? 'msg own failed' : 'msg own pending'}>
      <span class="sr-only">{t.you}：</span>
      {outgoing.image && <img class="thumb" src={outgoing.image.previewUrl} alt={outgoing.image.fileName} />}
      {outgoing.body && <div class="text">{outgoing.body}</div>}
      <div class="meta">
        {failed ? (
          <>
            <span class="failed-label">{t.notSent}</span>
            {outgoing.error && <span>{outgoing.error}</span>}
            <button type="button" class="link-button" onClick={() => session.retry(outgoing.clientMessageId)}>
              {t.retry}
            </button>
            <button type="button" class="link-button" onClick={() => session.discard(outgoing.clientMessageId)}>
              {t.discard}
            </button>
          </>
        ) : (
          <span>{t.sending}</span>
        )}
      </div>
    </li>
  );
}

function Thumbnail({
  attachment,
  session,
  locale,
}: {
  attachment: NonNullable<ChatMessage['attachment']>;
  session: ChatSession;
  locale: Locale;
}) {
  const t = textsFor(locale);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  // A link that stopped working (it expired while the page stayed open) is fetched again, once.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let isCurrent = true;
    session
      .imageUrl(attachment.id, { fresh: attempt > 0 })
      .then((url) => isCurrent && setSrc(url))
      .catch(() => isCurrent && setFailed(true));
    return () => {
      isCurrent = false;
    };
  }, [session, attachment.id, attempt]);
  if (failed) return <div class="thumb-placeholder">{t.imageFailed}</div>;
  if (!src) return <div class="thumb-placeholder">{t.imageLoading}</div>;
  const onError = () => (attempt === 0 ? setAttempt(1) : setFailed(true));
  return (
    <a href={src} target="_blank" rel="noopener noreferrer" title={attachment.fileName}>
      <img class="thumb" src={src} alt={`${t.image}: ${attachment.fileName}`} onError={onError} />
    </a>
  );
}
