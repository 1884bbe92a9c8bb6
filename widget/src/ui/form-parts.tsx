import type { ConversationCategory } from '@okpay/contracts';
import { useState } from 'preact/hooks';
import type { ChatSession } from '../chat/chat-session';
import type { Texts } from '../i18n/texts';

// What the widget's forms (leave a message, request a callback, leave a voicemail) share.

const categoryOrder: ConversationCategory[] = ['account', 'top_up', 'transactions', 'freeze', 'card_binding', 'exchange', 'other'];

/** The topic of what the customer is asking about, in the widget's order. */
export function CategoryField({
  label,
  t,
  value,
  onChange,
  disabled = false,
}: {
  label: string;
  t: Texts;
  value: ConversationCategory;
  onChange(category: ConversationCategory): void;
  disabled?: boolean;
}) {
  return (
    <label class="field">
      {label}
      <select
        class="input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.value as ConversationCategory)}
      >
        {categoryOrder.map((category) => (
          <option key={category} value={category}>
            {t.categories[category]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

/**
 * A form's submit handler: checks the fields, sends, and shows the server's message when sending
 * fails (the session moves to the next screen when it succeeds, so there is nothing to reset).
 */
export function useFormSubmit(send: () => Promise<void>, fallbackMessage: string, canSend = true) {
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!form.reportValidity() || !canSend) return;
    setSending(true);
    setError(null);
    try {
      await send();
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : fallbackMessage);
      setSending(false);
    }
  };
  return { isSending, error, submit: (event: Event) => void submit(event) };
}

/** What was sent and what happens next, with a button that closes the widget for a fresh start. */
export function SentScreen({
  session,
  heading,
  reply,
  doneLabel,
  testId,
}: {
  session: ChatSession;
  heading: string;
  reply: string | null;
  doneLabel: string;
  testId?: string;
}) {
  return (
    <div class="body">
      <div class="center">
        <h2 class="screen-title">{heading}</h2>
        <p role="status" data-testid={testId}>
          {reply}
        </p>
        <button
          type="button"
          class="secondary"
          data-autofocus
          onClick={() => {
            session.close();
            session.startOver();
          }}
        >
          {doneLabel}
        </button>
      </div>
    </div>
  );
}
