import type { Locale, RatingReason, RatingSurvey } from '@okpay/contracts';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatSession } from '../chat/chat-session';
import { formatDateTime } from '../i18n/format';
import { textsFor } from '../i18n/texts';
import { type RatingDraft, ratingApi, reasonsFor } from '../rating/rating-survey';
import { Face } from './face';

/**
 * After a chat is resolved: "how did we do?" with five faces, reason chips that fit the chosen
 * face, and an optional comment. Shown only when the server says to ask (once per conversation,
 * never to someone who opted out or was asked recently); the answer can be changed for a while.
 */
export function RatingCard({ session, conversationId, locale }: { session: ChatSession; conversationId: string; locale: Locale }) {
  const t = textsFor(locale).rating;
  const api = useMemo(() => ratingApi(session.http, conversationId, locale), [session, conversationId, locale]);
  const [survey, setSurvey] = useState<RatingSurvey | null>(null);
  const [isEditing, setEditing] = useState(false);
  const [draft, setDraft] = useState<RatingDraft>({ score: 0, reasons: [], comment: '' });
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    void (async () => {
      const token = await session.chatToken();
      if (!token) return;
      // No survey is shown when it cannot be read: rating is never in the way of the chat.
      const loaded = await api.load(token).catch(() => null);
      if (isCurrent && loaded) setSurvey(loaded);
    })();
    return () => {
      isCurrent = false;
    };
  }, [api, session]);

  if (!survey || (survey.state === 'none' && !survey.hasOptedOut)) return null;

  const run = async (action: (token: string) => Promise<RatingSurvey>) => {
    setBusy(true);
    setError(null);
    try {
      const token = await session.chatToken();
      if (!token) throw new Error(t.failed);
      setSurvey(await action(token));
      setEditing(false);
    } catch (problem) {
      setError(problem instanceof Error && problem.message ? problem.message : t.failed);
    } finally {
      setBusy(false);
    }
  };

  if (survey.hasOptedOut && survey.state !== 'answered' && survey.state !== 'closed') {
    return (
      <li class="rating" aria-live="polite">
        <p class="rating-note">{t.optedOut}</p>
      </li>
    );
  }

  const rating = survey.rating;
  if (rating && !isEditing) {
    return (
      <li class="rating" aria-live="polite">
        <p class="rating-heading">{t.thanks}</p>
        <p class="rating-given">
          <Face score={rating.score} size={18} /> {t.given(t.scores[rating.score] ?? String(rating.score))}
          {rating.reasons.length > 0 && ` · ${rating.reasons.map((reason) => t.reasons[reason]).join('、')}`}
        </p>
        {survey.state === 'answered' && (
          <p class="rating-actions">
            <span class="rating-until">{t.changeUntil(formatDateTime(rating.changeableUntil, locale, session.store.get().timeZone))}</span>
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setDraft({ score: rating.score, reasons: rating.reasons, comment: rating.comment ?? '' });
                setEditing(true);
              }}
            >
              {t.change}
            </button>
          </p>
        )}
      </li>
    );
  }
  if (survey.state !== 'ask' && !isEditing) return null;

  const toggleReason = (reason: RatingReason) =>
    setDraft((current) => ({
      ...current,
      reasons: current.reasons.includes(reason) ? current.reasons.filter((item) => item !== reason) : [...current.reasons, reason],
    }));
  const submit = (event: Event) => {
    event.preventDefault();
    if (draft.score === 0) {
      setError(t.chooseScore);
      return;
    }
    void run((token) => api.submit(token, draft));
  };

  return (
    <li class="rating">
      <form onSubmit={submit} aria-label={t.heading}>
        <fieldset>
          <legend class="rating-heading">{t.heading}</legend>
          <div class="faces" role="radiogroup" aria-label={t.heading}>
            {[1, 2, 3, 4, 5].map((score) => (
              <label key={score} class={`face${draft.score === score ? ' selected' : ''}`} title={t.scores[score]}>
                <input
                  type="radio"
                  name={`rating-${conversationId}`}
                  value={score}
                  checked={draft.score === score}
                  onChange={() => setDraft((current) => ({ ...current, score }))}
                />
                <Face score={score} />
                <span class="face-label">{t.scores[score]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {draft.score > 0 && (
          <>
            <fieldset>
              <legend>{t.reasonsLegend}</legend>
              <div class="reason-chips">
                {reasonsFor(draft.score).map((reason) => (
                  <label key={reason} class={`reason-chip${draft.reasons.includes(reason) ? ' selected' : ''}`}>
                    <input type="checkbox" checked={draft.reasons.includes(reason)} onChange={() => toggleReason(reason)} />
                    {t.reasons[reason]}
                  </label>
                ))}
              </div>
            </fieldset>
            <label class="field">
              {t.commentLabel}
              <textarea
                class="textarea"
                maxLength={1000}
                value={draft.comment}
                onInput={(event) => setDraft((current) => ({ ...current, comment: (event.currentTarget as HTMLTextAreaElement).value }))}
              />
            </label>
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="rating-buttons">
          <button type="submit" class="primary" disabled={isBusy}>
            {isBusy ? t.submitting : t.submit}
          </button>
          {isEditing ? (
            <button type="button" class="link-button" onClick={() => setEditing(false)}>
              {t.cancel}
            </button>
          ) : (
            <button type="button" class="link-button" disabled={isBusy} onClick={() => void run((token) => api.optOut(token))}>
              {t.optOut}
            </button>
          )}
        </div>
      </form>
    </li>
  );
}
