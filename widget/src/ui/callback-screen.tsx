import type { ConversationCategory } from '@okpay/contracts';
import { useState } from 'preact/hooks';
import type { ChatSession, WidgetState } from '../chat/chat-session';
import { textsFor } from '../i18n/texts';
import { CategoryField, FormError, SentScreen, useFormSubmit } from './form-parts';

/** "Request a callback": a signed-in customer's number and one of the times the phone line can call. */
export function CallbackScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  const [number, setNumber] = useState('+86');
  const [slot, setSlot] = useState('');
  const [category, setCategory] = useState<ConversationCategory>(state.preset.category ?? 'other');
  const slots = state.callbackSlots;
  const chosen = slot || slots?.[0]?.at || '';
  const { isSending, error, submit } = useFormSubmit(
    () => session.requestCallback({ number: number.trim(), slot: chosen, category }),
    t.loadFailed,
    chosen !== '',
  );

  return (
    <form class="body" onSubmit={submit} data-testid="callback-form">
      <h2 class="screen-title">{t.callbackHeading}</h2>
      <p class="hint">{t.callbackIntro}</p>
      <label class="field">
        {t.callbackNumberLabel}
        <input
          class="input"
          type="tel"
          name="number"
          autocomplete="tel"
          required
          maxLength={32}
          data-autofocus
          value={number}
          onInput={(event) => setNumber(event.currentTarget.value)}
        />
      </label>
      {slots === null ? (
        <p class="note">{t.callbackSlotsLoading}</p>
      ) : slots.length === 0 ? (
        <p class="note">{t.callbackNoSlots}</p>
      ) : (
        <label class="field">
          {t.callbackSlotLabel}
          <select class="input" name="slot" value={chosen} onChange={(event) => setSlot(event.currentTarget.value)}>
            {slots.map((item) => (
              <option key={item.at} value={item.at}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <CategoryField label={t.callbackTopicLabel} t={t} value={category} onChange={setCategory} />
      <FormError error={error} />
      <button type="submit" class="primary" disabled={isSending || !chosen}>
        {isSending ? t.callbackSubmitting : t.callbackSubmit}
      </button>
      <button type="button" class="secondary" onClick={() => session.startOver()}>
        {t.back}
      </button>
    </form>
  );
}

export function CallbackSentScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  return (
    <SentScreen session={session} heading={t.callbackSentHeading} reply={state.callbackReply} doneLabel={t.done} testId="callback-reply" />
  );
}

/** The way in, for signed-in customers: shown beside the chat and the leave-a-message form. */
export function CallbackLink({ session, state }: { session: ChatSession; state: WidgetState }) {
  if (state.identityKind !== 'customer' || !state.phoneHours) return null;
  return (
    <button type="button" class="secondary" data-testid="request-callback" onClick={() => void session.openCallback()}>
      {textsFor(state.locale).requestCallback}
    </button>
  );
}
