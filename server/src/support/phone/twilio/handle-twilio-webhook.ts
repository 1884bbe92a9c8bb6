import type { CallEvent, ConversationCategory, Locale } from '@okpay/contracts';
import { withTransaction } from '../../../platform/index.js';
import { findConversationForUpdate, updateConversationFields } from '../../conversations/conversations.repository.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { channelHours } from '../../hours/describe-support-hours.js';
import { currentHours } from '../../hours/support-hours.js';
import type { SupportDeps } from '../../support-deps.js';
import { PhoneError } from '../phone.errors.js';
import { type CallRow, findCallByProviderId } from '../phone.repository.js';
import { e164Pattern } from '../phone-numbers.js';
import { receiveCall } from '../receive-call.js';
import { type CallReport, recordCallEvent } from '../record-call-event.js';
import { recordCallStep } from '../record-call-step.js';
import { ivrTexts, languageKeys, menuCategories } from './ivr-texts.js';
import { isValidTwilioSignature } from './twilio-signature.js';
import { twiml, type Verb } from './twiml.js';

export const twilioProvider = 'twilio';

/** Where in the call a request comes from: the `step` of our webhook URL. */
export const twilioSteps = ['voice', 'language', 'menu', 'agent', 'queue', 'status', 'recording'] as const;
export type TwilioStep = (typeof twilioSteps)[number];

export type TwilioRequest = {
  /** The URL Twilio requested, as it signed it: PUBLIC_URL and the path with its query. */
  url: string;
  step: TwilioStep;
  params: Record<string, string>;
  signature: string | undefined;
  /** Twilio's I-Twilio-Idempotency-Token: the same on a retry of one request. */
  idempotencyToken: string | undefined;
};

export type TwilioAnswer = { twiml: string; call: CallRow };

/** Twilio's final CallStatus values as our events; the others (queued, initiated, ringing, in-progress) move nothing. */
const statusEvents: Record<string, CallEvent> = {
  completed: 'hang-up',
  canceled: 'hang-up',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'fail',
};

/** What the caller left the queue for (Enqueue's QueueResult). */
const queueEvents: Record<string, CallEvent> = { hangup: 'hang-up', error: 'fail', 'system-error': 'fail' };

function required(params: Record<string, string>, field: string): string {
  const value = params[field];
  if (!value) throw PhoneError('telephony_request_invalid', { field });
  return value;
}

/**
 * One request of Twilio's voice webhook: verified (signature over URL and parameters, refused
 * when stale or seen before), applied to the call through the state machine, answered with the
 * TwiML for the caller's next step: the language choice, the menu, the queue, or the hours and a
 * voicemail when the phone line is closed.
 */
export async function handleTwilioWebhook(deps: SupportDeps, request: TwilioRequest): Promise<TwilioAnswer> {
  const authToken = deps.config.telephony.twilioAuthToken;
  if (!authToken) throw PhoneError('telephony_not_configured');
  if (!isValidTwilioSignature(authToken, request.url, request.params, request.signature)) throw PhoneError('telephony_signature_invalid');
  const { params, step } = request;
  const stamp = params.Timestamp ? Date.parse(params.Timestamp) : Number.NaN;
  if (!Number.isNaN(stamp) && Math.abs(deps.clock.now().getTime() - stamp) > deps.config.telephony.webhookMaxAgeSeconds * 1000) {
    throw PhoneError('telephony_stale');
  }
  const callSid = required(params, 'CallSid');
  const callStatus = required(params, 'CallStatus');
  const base = request.url.replace(/\?.*$/, '');
  const urlFor = (next: TwilioStep) => `${base}?step=${next}`;
  // Menu answers may repeat (a wrong key, asked again): a retry of the same request carries the same token.
  const token = request.idempotencyToken?.slice(0, 100) ?? '';

  const logStep = async (name: string, key: string, locale?: Locale) => {
    const logged = await recordCallStep(deps, {
      provider: twilioProvider,
      providerCallId: callSid,
      step: name,
      providerEventKey: key,
      locale,
    });
    if (logged.outcome === 'unknown_call') throw PhoneError('telephony_call_unknown');
    if (logged.outcome === 'replayed') throw PhoneError('telephony_replay');
    return logged.call;
  };
  const apply = async (event: CallEvent, key: string, extra: Pick<CallReport, 'recordingUrl' | 'recording'> = {}) => {
    const result = await recordCallEvent(deps, {
      provider: twilioProvider,
      providerCallId: callSid,
      event,
      providerEventKey: key,
      ...extra,
    });
    if (result.outcome === 'unknown_call') throw PhoneError('telephony_call_unknown');
    if (result.outcome === 'replayed') throw PhoneError('telephony_replay');
    return result.call;
  };
  const languagePrompt = (): Verb[] => [
    {
      gather: { action: urlFor('language'), numDigits: 1, timeout: 6 },
      prompts: [
        { say: ivrTexts['zh-CN'].welcome, locale: 'zh-CN' },
        { say: ivrTexts.en.welcome, locale: 'en' },
      ],
    },
    // No key pressed: Mandarin, the line's first language.
    { redirect: `${urlFor('language')}&default=1` },
  ];
  const menuPrompt = (locale: Locale): Verb[] => [
    { gather: { action: urlFor('menu'), numDigits: 1, timeout: 8 }, prompts: [{ say: ivrTexts[locale].menu, locale }] },
    { redirect: urlFor('language') },
  ];
  const voicemail = (say: string, locale: Locale): Verb[] => [
    { say, locale },
    { record: { action: urlFor('recording'), maxLength: 120 } },
    { say: ivrTexts[locale].goodbye, locale },
    { hangup: true },
  ];
  const answer = (call: CallRow, verbs: Verb[]): TwilioAnswer => ({ call, twiml: twiml(verbs) });

  switch (step) {
    case 'voice': {
      const from = required(params, 'From');
      const to = required(params, 'To');
      const known = await findCallByProviderId(deps.db, twilioProvider, callSid);
      const key = `voice:${callStatus}`;
      const received = known
        ? undefined
        : await receiveCall(deps, {
            provider: twilioProvider,
            providerCallId: callSid,
            direction: params.Direction?.startsWith('outbound') ? 'outbound' : 'inbound',
            from: e164Pattern.test(from) ? from : from.slice(0, 32),
            to: to.slice(0, 32),
            providerEventKey: key,
          });
      // Two deliveries of the same first request at once: the other one created the call.
      if (received && !received.isNew) throw PhoneError('telephony_replay');
      const call = received ? received.call : await logStep('voice', key);
      const now = deps.clock.now();
      const hours = await currentHours(deps);
      const zh = channelHours(hours, 'phone', now, 'zh-CN');
      if (!zh.open) {
        const en = channelHours(hours, 'phone', now, 'en');
        return answer(call, [
          { say: ivrTexts['zh-CN'].closed(zh.status), locale: 'zh-CN' },
          { say: ivrTexts.en.closed(en.status), locale: 'en' },
          { record: { action: urlFor('recording'), maxLength: 120 } },
          { hangup: true },
        ]);
      }
      return answer(call, languagePrompt());
    }
    case 'language': {
      const digit = params.Digits ?? (request.url.includes('default=1') ? '1' : '');
      const locale = languageKeys[digit];
      const call = await logStep(`language:${digit || '-'}`, `language:${digit}:${token}`, locale);
      return answer(call, locale ? menuPrompt(locale) : languagePrompt());
    }
    case 'menu': {
      const digit = params.Digits ?? '';
      const category = menuCategories[digit];
      const known = await findCallByProviderId(deps.db, twilioProvider, callSid);
      if (!known) throw PhoneError('telephony_call_unknown');
      const locale = known.locale ?? 'zh-CN';
      if (!category) return answer(await logStep(`menu:${digit || '-'}`, `menu:${digit}:${token}`), menuPrompt(locale));
      await chooseCategory(deps, known, category);
      const call = await apply('enqueue', `menu:${digit}:${token}`);
      return answer(call, [{ say: ivrTexts[locale].connecting, locale }, { enqueue: { queue: 'support', action: urlFor('queue') } }]);
    }
    case 'agent': {
      // The Queue noun's url in the agent's Dial: an agent took this caller from the queue.
      const call = await apply('answer', 'agent');
      return answer(call, []);
    }
    case 'queue': {
      const result = params.QueueResult ?? '';
      const event = queueEvents[result];
      const key = `queue:${result}`;
      if (event) return answer(await apply(event, key), [{ hangup: true }]);
      const call = await logStep(`queue:${result || '-'}`, key);
      const locale = call.locale ?? 'zh-CN';
      // Waited too long and left the queue: a voicemail instead.
      if (result === 'leave' && call.state === 'queued') return answer(call, voicemail(ivrTexts[locale].leaveMessage, locale));
      return answer(call, [{ hangup: true }]);
    }
    case 'status': {
      const event = statusEvents[callStatus];
      const key = `status:${callStatus}`;
      return answer(event ? await apply(event, key) : await logStep(key, key), []);
    }
    case 'recording': {
      const recordingUrl = required(params, 'RecordingUrl').slice(0, 500);
      const seconds = Number(params.RecordingDuration);
      // The recording is fetched and kept as ours by a job (the provider may take a moment to have it ready).
      const call = await apply('voicemail', `recording:${params.RecordingSid ?? recordingUrl}`, {
        recordingUrl,
        recording: {
          url: recordingUrl,
          providerRecordingId: params.RecordingSid?.slice(0, 64) ?? null,
          durationMs: Number.isFinite(seconds) && seconds >= 0 && seconds < 86_400 ? Math.round(seconds * 1000) : null,
        },
      });
      const locale = call.locale ?? 'zh-CN';
      return answer(call, [{ say: ivrTexts[locale].thanks, locale }, { hangup: true }]);
    }
  }
}

/** The menu choice becomes the conversation's category, on its timeline like an agent's change. */
async function chooseCategory(deps: SupportDeps, call: CallRow, category: ConversationCategory): Promise<void> {
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    const conversation = await findConversationForUpdate(tx, call.conversationId);
    if (!conversation || conversation.category === category) return;
    await updateConversationFields(tx, conversation.id, { ...conversation, category, at });
    await recordConversationEvent(
      tx,
      conversation.id,
      'category_changed',
      { kind: 'system' },
      { from: conversation.category, to: category, via: 'phone_menu' },
      at,
    );
  });
}
