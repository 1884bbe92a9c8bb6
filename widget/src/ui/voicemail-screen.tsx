import type { ConversationCategory } from '@okpay/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatSession, WidgetState } from '../chat/chat-session';
import { newClientMessageId } from '../chat/ids';
import { textsFor } from '../i18n/texts';
import { fileNameFor, formatClock, type RecorderState, VoicemailRecorder } from '../voicemail/recorder';
import { CategoryField, FormError, SentScreen } from './form-parts';

const defaultMaxSeconds = 120;

/**
 * "Leave a voicemail": record in the browser (a timer, at most the server's limit), listen, record
 * again or send. Nothing leaves the browser until Send; a refused or missing microphone says why
 * and records nothing.
 */
export function VoicemailScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  const maxSeconds = state.status?.voicemail.maxSeconds ?? defaultMaxSeconds;
  const [recording, setRecording] = useState<RecorderState>({ kind: 'idle' });
  const [category, setCategory] = useState<ConversationCategory>(state.preset.category ?? 'other');
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per recording: a second press of Send after a failure is the same upload.
  const key = useRef<{ blob: Blob; key: string } | null>(null);
  const recorder = useRef<VoicemailRecorder | null>(null);
  if (!recorder.current) recorder.current = new VoicemailRecorder(maxSeconds, setRecording);
  // Leaving the screen stops the microphone and drops what was not sent.
  useEffect(() => () => recorder.current?.reset(), []);

  const start = () => {
    setError(null);
    void recorder.current?.start();
  };
  const send = async () => {
    if (recording.kind !== 'recorded') return;
    if (key.current?.blob !== recording.blob) key.current = { blob: recording.blob, key: newClientMessageId() };
    setSending(true);
    setError(null);
    try {
      await session.sendVoicemail({
        recording: recording.blob,
        fileName: fileNameFor(recording.blob.type),
        seconds: recording.seconds,
        category,
        key: key.current.key,
      });
    } catch (problem) {
      setError(problem instanceof Error && problem.message ? problem.message : t.voicemailSendFailed);
      setSending(false);
    }
  };
  const phone = state.phoneHours;

  return (
    <div class="body" data-testid="voicemail">
      <h2 class="screen-title">{t.voicemailHeading}</h2>
      <p class="hint">{t.voicemailIntro(maxSeconds)}</p>
      {phone && !phone.open && <p class="note">{phone.status}</p>}
      <CategoryField label={t.voicemailTopicLabel} t={t} value={category} onChange={setCategory} disabled={isSending} />
      {recording.kind === 'asking' && (
        <p class="note" role="status">
          {t.voicemailAsking}
        </p>
      )}
      {recording.kind === 'recording' && (
        <p class="recording" data-testid="voicemail-timer">
          <span class="recording-dot" aria-hidden="true" />
          {t.voicemailRecording} <span role="timer">{formatClock(recording.elapsedMs)}</span> / {formatClock(maxSeconds * 1000)}
        </p>
      )}
      {recording.kind === 'recorded' && (
        <div class="field">
          {t.voicemailPreview}
          {/* biome-ignore lint/a11y/useMediaCaption: the customer's own voice, just recorded; there is nothing to caption */}
          <audio class="preview" controls src={recording.url} data-testid="voicemail-preview" />
          <span class="hint">{t.voicemailLength(formatClock(recording.seconds * 1000))}</span>
        </div>
      )}
      {recording.kind === 'problem' && (
        <p class="error" role="alert" data-testid="voicemail-problem">
          {t.voicemailProblems[recording.problem]}
        </p>
      )}
      <FormError error={error} />
      {recording.kind === 'recording' ? (
        <button type="button" class="primary" onClick={() => recorder.current?.stop()}>
          {t.voicemailStop}
        </button>
      ) : recording.kind === 'recorded' ? (
        <>
          <button type="button" class="primary" disabled={isSending} onClick={() => void send()}>
            {isSending ? t.voicemailSending : t.voicemailSend}
          </button>
          <button type="button" class="secondary" disabled={isSending} onClick={start}>
            {t.voicemailReRecord}
          </button>
        </>
      ) : (
        <button type="button" class="primary" data-autofocus disabled={recording.kind === 'asking'} onClick={start}>
          {recording.kind === 'problem' ? t.tryAgain : t.voicemailRecord}
        </button>
      )}
      <button type="button" class="secondary" disabled={isSending} onClick={() => session.startOver()}>
        {t.back}
      </button>
    </div>
  );
}

export function VoicemailSentScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const t = textsFor(state.locale);
  return (
    <SentScreen
      session={session}
      heading={t.voicemailSentHeading}
      reply={state.voicemailReply}
      doneLabel={t.done}
      testId="voicemail-reply"
    />
  );
}

/** The way in, wherever the phone line is shown: offered first when the line is closed, and always on request. */
export function VoicemailLink({ session, state }: { session: ChatSession; state: WidgetState }) {
  const phone = state.phoneHours;
  if (!phone) return null;
  const t = textsFor(state.locale);
  return (
    <div class="voicemail-link">
      {!phone.open && <p class="hint">{t.voicemailClosedHint}</p>}
      <button type="button" class="secondary" data-testid="leave-voicemail" onClick={() => session.openVoicemail()}>
        {t.leaveVoicemail}
      </button>
    </div>
  );
}
