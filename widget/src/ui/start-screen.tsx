import type { ConversationCategory, LinkedObject } from '@okpay/contracts';
import { useState } from 'preact/hooks';
import type { ChatSession, PickerItem, WidgetState } from '../chat/chat-session';
import { ArticleView, SuggestionList, useHelpSuggestions } from '../help/help-panel';
import { chatCategoryFor, type HelpSuggestions } from '../help/help-suggestions';
import { formatDateTime, formatMoney, waitMinutes } from '../i18n/format';
import { textsFor } from '../i18n/texts';
import { canPlaceCalls } from '../voice/voice-call';
import { CallbackLink } from './callback-screen';
import { VoicemailLink } from './voicemail-screen';

const categoryOrder: ConversationCategory[] = ['account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other'];

/** A top-up is linked as the top-up (the agent sees its acquirer record), anything else as the transaction. */
function linkFor(item: PickerItem): LinkedObject {
  return item.topUpId ? { type: 'top_up', id: item.topUpId } : { type: 'transaction', id: item.transactionId };
}

function categoryFor(item: PickerItem): ConversationCategory {
  if (item.type === 'top_up') return 'top_up';
  if (item.type === 'exchange') return 'exchange';
  return 'transactions';
}

/** Before the chat: the topic, for signed-in customers the record in question, and an optional first message. */
export function StartScreen({ session, state, help }: { session: ChatSession; state: WidgetState; help: HelpSuggestions }) {
  const t = textsFor(state.locale);
  const [category, setCategory] = useState<ConversationCategory | null>(state.preset.category);
  const [picked, setPicked] = useState('');
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Articles for what the customer is typing, or for the chosen topic while the box is empty.
  const typed = message.trim();
  const topic = category && category !== 'other' ? t.categories[category] : '';
  const {
    results: suggested,
    openSlug: openArticle,
    setOpenSlug: setOpenArticle,
  } = useHelpSuggestions(help, { text: typed || topic, surface: typed ? 'composer' : 'pre_chat' }, state.locale);

  const start = (input: { category: ConversationCategory; links: LinkedObject[]; message: string }) => {
    if (help.hasShown) help.chatStarted(state.locale);
    session.startChat(input);
  };

  const { picker, status } = state;
  const pickedItem = picker.items.find((item) => item.transactionId === picked);
  function pickedLinks(): LinkedObject[] {
    return pickedItem ? [linkFor(pickedItem)] : state.preset.links;
  }

  if (openArticle) {
    return (
      <ArticleView
        slug={openArticle}
        locale={state.locale}
        suggestions={help}
        base={help.http.base}
        isStarting={state.isStarting}
        onBack={() => setOpenArticle(null)}
        onOpen={setOpenArticle}
        onChat={(article) =>
          start({
            category: category ?? (article ? chatCategoryFor[article.category] : 'other'),
            links: pickedLinks(),
            message,
          })
        }
      />
    );
  }

  const pick = (item: PickerItem | undefined) => {
    setPicked(item?.transactionId ?? '');
    if (item && !category) setCategory(categoryFor(item));
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (!category) {
      setProblem(t.chooseCategory);
      return;
    }
    setProblem(null);
    start({ category, links: pickedLinks(), message });
  };

  // Facts from the server, not promises: who is online, and an estimate only when people are waiting.
  const wait =
    status && status.agentsOnline > 0
      ? t.availability(status.agentsOnline, status.queueLength, waitMinutes(status.estimatedWaitSeconds))
      : null;

  return (
    <form class="body" onSubmit={submit} noValidate>
      <h2 class="screen-title">{t.startHeading}</h2>
      <p class="lead">{t.startIntro}</p>
      {state.chatHours && (
        <p class="note" data-testid="chat-hours">
          {t.hoursLine(state.chatHours.label, state.chatHours.todayText, state.chatHours.status)}
        </p>
      )}
      {wait && <p class="note">{wait}</p>}
      {state.preset.links.length > 0 && state.identityKind === 'customer' && (
        <p class="note">{state.preset.links.map((link) => t.linkedObject[link.type]).join('，')}</p>
      )}
      <fieldset>
        <legend>{t.categoryLegend}</legend>
        <div class="chips">
          {categoryOrder.map((value, index) => (
            <label key={value} class={category === value ? 'chip selected' : 'chip'}>
              <input
                type="radio"
                name="okpay-category"
                value={value}
                checked={category === value}
                data-autofocus={(category ? category === value : index === 0) ? true : undefined}
                onChange={() => {
                  setCategory(value);
                  setProblem(null);
                }}
              />
              {t.categories[value]}
            </label>
          ))}
        </div>
      </fieldset>

      {picker.state !== 'hidden' && (
        <fieldset>
          <legend>{t.pickerLegend}</legend>
          <p class="hint">{t.pickerHint}</p>
          {picker.state === 'loading' && <p class="hint">{t.loading}</p>}
          {picker.state === 'failed' && <p class="hint">{t.pickerFailed}</p>}
          {picker.state === 'ready' && picker.items.length === 0 && <p class="hint">{t.pickerEmpty}</p>}
          {picker.state === 'ready' && picker.items.length > 0 && (
            <div class="picks">
              {picker.items.map((item) => (
                <PickerOption key={item.transactionId} item={item} state={state} checked={picked === item.transactionId} onPick={pick} />
              ))}
              <label class={picked === '' ? 'pick selected' : 'pick'}>
                <input type="radio" name="okpay-pick" value="" checked={picked === ''} onChange={() => pick(undefined)} />
                <span class="pick-main">{t.pickerNone}</span>
              </label>
            </div>
          )}
        </fieldset>
      )}

      <label class="field">
        {t.firstMessageLabel}
        <textarea
          class="textarea"
          rows={3}
          maxLength={4000}
          placeholder={t.firstMessagePlaceholder}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
      <SuggestionList results={suggested} locale={state.locale} onOpen={setOpenArticle} />
      {(problem ?? state.error) && (
        <p class="error" role="alert">
          {problem ?? state.error}
        </p>
      )}
      <div class="start-actions">
        <button type="submit" class="primary" disabled={state.isStarting}>
          {state.isStarting ? t.starting : t.startChat}
        </button>
        {state.phoneHours?.open && canPlaceCalls() && (
          <button
            type="button"
            class="call-button"
            title={t.call.actionHint}
            data-testid="start-call"
            onClick={() => {
              if (help.hasShown) help.chatStarted(state.locale);
              session.startCall({ category: category ?? 'other', links: pickedLinks() });
            }}
          >
            {t.call.action}
          </button>
        )}
      </div>
      <CallbackLink session={session} state={state} />
      <VoicemailLink session={session} state={state} />
    </form>
  );
}

function PickerOption({
  item,
  state,
  checked,
  onPick,
}: {
  item: PickerItem;
  state: WidgetState;
  checked: boolean;
  onPick: (item: PickerItem) => void;
}) {
  const t = textsFor(state.locale);
  const statusClass = item.status === 'failed' ? 'status-failed' : item.status === 'pending' ? 'status-pending' : '';
  const details = [item.cardLast4 ? t.cardEnding(item.cardLast4) : null, item.counterparty].filter(Boolean).join(' · ');
  return (
    <label class={checked ? 'pick selected' : 'pick'}>
      <input type="radio" name="okpay-pick" value={item.transactionId} checked={checked} onChange={() => onPick(item)} />
      <span class="pick-row">
        <span class="pick-main">
          {t.transactionTypes[item.type] ?? item.type} {formatMoney(item.amount)}{' '}
          <span class={statusClass}>{t.transactionStatuses[item.status] ?? item.status}</span>
        </span>
        <span class="pick-time">{formatDateTime(item.createdAt, state.locale, state.timeZone)}</span>
      </span>
      {details && <span class="pick-detail">{details}</span>}
      {item.failure && <span class="failure">{item.failure.message}</span>}
    </label>
  );
}
