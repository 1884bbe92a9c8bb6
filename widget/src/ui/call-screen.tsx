import type { VoiceCall } from '@okpay/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { ChatSession, WidgetState } from '../chat/chat-session';
import { waitMinutes } from '../i18n/format';
import { type Texts, textsFor } from '../i18n/texts';
import type { VoiceState } from '../voice/voice-call';
import { useStore } from './use-store';

/** "03:07": minutes and seconds since the call was answered. */
function elapsed(since: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** One line for where the call is, in the caller's words. */
function describe(voice: VoiceState, t: Texts['call']): string {
  const call = voice.call;
  if (voice.isStarting || !call) return t.starting;
  if (call.phase === 'ended') return t.ended[call.state] ?? t.ended.completed ?? '';
  if (call.phase === 'transferring') return t.transferring;
  if (call.phase === 'connected' && call.isOnHold) return t.onHold;
  if (call.phase === 'connected' && call.agent)
    return voice.isMediaConnected ? t.connected(call.agent.name) : t.connecting(call.agent.name);
  return t.waiting;
}

function problemText(voice: VoiceState, t: Texts['call']): string | null {
  if (voice.refusal) return voice.refusal;
  if (voice.problem === 'unsupported') return t.unsupported;
  if (voice.problem && voice.problem !== 'refused') return t.reasons[voice.problem] ?? null;
  const reason = voice.call?.phase === 'ended' ? voice.call.endReason : null;
  return reason ? (t.reasons[reason] ?? null) : null;
}

/** The call: where it stands (queue, ringing, connected, on hold, transferred, ended), with mute, hang-up and a callback instead. */
export function CallScreen({ session, state }: { session: ChatSession; state: WidgetState }) {
  const voice = useStore(session.voice.store);
  const t = textsFor(state.locale).call;
  const texts = textsFor(state.locale);
  const call: VoiceCall | null = voice.call;
  const [now, setNow] = useState(Date.now());
  const isConnected = call?.phase === 'connected';
  useEffect(() => {
    if (!isConnected) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [isConnected]);

  const isOver = !voice.isStarting && (call === null || call.phase === 'ended');
  const isWaiting = call !== null && (call.phase === 'queued' || call.phase === 'ringing');
  const problem = problemText(voice, t);
  const canBookCallback = state.identityKind === 'customer' && state.phoneHours !== null;

  return (
    <div class="body call" data-testid="call-screen">
      <h2 class="screen-title">{t.heading}</h2>
      <p class="call-status" role="status" data-testid="call-status">
        {describe(voice, t)}
      </p>
      {isWaiting && call?.queue && (
        <p class="note" data-testid="call-queue">
          {t.queue(call.queue.position, waitMinutes(call.queue.estimatedWaitSeconds))}
        </p>
      )}
      {isConnected && call?.answeredAt && <p class="call-timer">{t.duration(elapsed(call.answeredAt, now))}</p>}
      {isConnected && call?.isAgentMuted && <p class="hint">{t.agentMuted}</p>}
      {isConnected && voice.isMuted && <p class="hint">{t.youAreMuted}</p>}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="call-actions">
        {isConnected && (
          <button
            type="button"
            class="secondary"
            aria-pressed={voice.isMuted}
            data-autofocus
            onClick={() => void session.voice.setMuted(!voice.isMuted)}
          >
            {voice.isMuted ? t.unmute : t.mute}
          </button>
        )}
        {!isOver && (
          <button type="button" class="danger" data-autofocus={isConnected ? undefined : true} onClick={() => void session.voice.end()}>
            {t.hangUp}
          </button>
        )}
        {isWaiting && canBookCallback && (
          <button type="button" class="secondary" onClick={() => void session.callBackInstead()}>
            {t.callbackInstead}
          </button>
        )}
        {isOver && canBookCallback && call?.state !== 'completed' && (
          <button type="button" class="secondary" data-autofocus onClick={() => void session.openCallback()}>
            {texts.requestCallback}
          </button>
        )}
        {isOver && (
          <button type="button" class="secondary" onClick={() => session.startOver()}>
            {texts.back}
          </button>
        )}
      </div>
    </div>
  );
}
