import type { ConversationCategory } from '@okpay/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { ChatSession, WidgetState } from '../chat/chat-session';
import { ArticleView, SuggestionList, useHelpSuggestions } from '../help/help-panel';
import type { HelpSuggestions } from '../help/help-suggestions';
import { textsFor } from '../i18n/texts';
import { CallbackLink } from './callback-screen';
import { CategoryField, FormError, SentScreen, useFormSubmit } from './form-parts';
import { VoicemailLink } from './voicemail-screen';

/** Nobody online or outside hours: say so plainly, take a message (it becomes an email conversation) or point to the support address. */
export function OfflineScreen({ session, state, help }: { session: ChatSession; state: WidgetState; help: HelpSuggestions }) {
  const t = textsFor(state.locale);
  // A signed-in customer's proven address is where the answer goes: filled in, still theirs to change.
  const [email, setEmail] = useState(state.verifiedEmail ?? '');
  const verifiedEmail = state.verifiedEmail;
  useEffect(() => {
    if (verifiedEmail) setEmail((typed) => typed || verifiedEmail);
  }, [verifiedEmail]);
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [category, setCategory] = useState<ConversationCategory>(state.preset.category ?? 'other');
  const hours = state.chatHours;
  const isAfterHours = hours !== null && !hours.open;
  const { results, openSlug, setOpenSlug } = useHelpSuggestions(help, { text: message.trim(), surface: 'pre_chat' }, state.locale);

  const { isSending, error, submit } = useFormSubmit(
    () => session.leaveMessage({ email: email.trim(), name, message: message.trim(), category }),
    t.loadFailed,
  );

  if (openSlug) {
    return (
      <ArticleView
        slug={openSlug}
        locale={state.locale}
        suggestions={help}
        base={help.http.base}
        isStarting={false}
        actionLabel={t.backToMessage}
        onBack={() => setOpenSlug(null)}
        onOpen={setOpenSlug}
        onChat={() => setOpenSlug(null)}
      />
    );
  }

  return (
    <form class="body" onSubmit={submit}>
      {isAfterHours && hours ? (
        <>
          <h2 class="screen-title">{t.afterHoursHeading}</h2>
          <p class="notice-offline" data-testid="after-hours">
            {hours.status}
          </p>
          <p class="note">{t.hoursSummary(hours.label, hours.summary)}</p>
          <p class="hint">{t.afterHoursIntro}</p>
        </>
      ) : (
        <>
          <h2 class="screen-title">{t.offlineHeading}</h2>
          <p class="notice-offline">{t.offlineIntro}</p>
          {hours && <p class="note">{t.hoursSummary(hours.label, hours.summary)}</p>}
        </>
      )}
      <PhoneLine hours={state.phoneHours} />
      <CallbackLink session={session} state={state} />
      <VoicemailLink session={session} state={state} />
      {state.status?.email && (
        <p class="offline-email">
          {t.offlineEmailLead} <a href={`mailto:${state.status.email.address}`}>{state.status.email.address}</a>
          {t.offlineEmailPromise(state.status.email.replyWithinHours)}
        </p>
      )}
      <label class="field">
        {t.emailLabel}
        <input
          class="input"
          type="email"
          name="email"
          autocomplete="email"
          required
          maxLength={254}
          data-autofocus
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        {t.nameLabel}
        <input
          class="input"
          type="text"
          name="name"
          autocomplete="name"
          maxLength={60}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <CategoryField label={t.categoryLegend} t={t} value={category} onChange={setCategory} />
      <label class="field">
        {t.messageLabel}
        <textarea
          class="textarea"
          rows={4}
          required
          maxLength={4000}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
      <SuggestionList results={results} locale={state.locale} onOpen={setOpenSlug} />
      <FormError error={error} />
      <button type="submit" class="primary" disabled={isSending}>
        {isSending ? t.sendingOfflineMessage : t.sendOfflineMessage}
      </button>
    </form>
  );
}

export function OfflineSentScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  return <SentScreen session={session} heading={t.offlineSentHeading} reply={state.offlineReply} doneLabel={t.done} />;
}

/** The published numbers with the phone line's "open now / opens …" in the customer's zone. */
function PhoneLine({ hours }: { hours: WidgetState['phoneHours'] }) {
  if (!hours?.numbers?.length) return null;
  return (
    <p class="note" data-testid="phone-line">
      <strong>{hours.label}</strong>{' '}
      {hours.numbers.map((entry, index) => (
        <span key={entry.dial}>
          {index > 0 ? ' · ' : ''}
          {entry.label} <a href={`tel:${entry.dial}`}>{entry.number}</a>
        </span>
      ))}
      <br />
      {hours.status}
    </p>
  );
}
