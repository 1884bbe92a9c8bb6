import { randomBytes, randomUUID } from 'node:crypto';
import { twilioSignature } from './twilio-signature.js';

// A stand-in for Twilio placing an inbound call: it posts to the node's voice webhook the way
// Twilio does (form parameters, X-Twilio-Signature, an idempotency token, status callbacks with a
// Timestamp) and follows the TwiML it gets back, pressing keys and ending the call as asked.

export const simulatedOutcomes = ['answered', 'abandoned', 'no-answer', 'voicemail'] as const;
export type SimulatedOutcome = (typeof simulatedOutcomes)[number];

export type SimulateCallOptions = {
  /** The node, as its PUBLIC_URL names it: Twilio signs the URLs it requests, and so does this. */
  url: string;
  authToken: string;
  from: string;
  to: string;
  outcome: SimulatedOutcome;
  /** Keys pressed at the language choice (1 Mandarin, 2 English) and the menu (1–4). */
  language?: string;
  menu?: string;
  fetch?: typeof fetch;
};

export type SimulatedCall = { id: string; state: string; callSid: string; steps: string[] };

const webhookPath = '/api/telephony/webhooks/twilio';

/** The `action` of a verb in TwiML, unescaped. */
function actionOf(twiml: string, verb: 'Gather' | 'Enqueue' | 'Record'): string | undefined {
  const match = new RegExp(`<${verb}\\b[^>]*\\baction="([^"]*)"`).exec(twiml);
  return match?.[1]
    ?.replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&apos;', "'");
}

export async function simulateCall(options: SimulateCallOptions): Promise<SimulatedCall> {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const steps: string[] = [];
  let id = '';
  let state = '';
  const common = {
    AccountSid: 'AC00000000000000000000000000000000',
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    Direction: 'inbound',
    From: options.from,
    To: options.to,
    Caller: options.from,
    Called: options.to,
  };

  /** Posts as Twilio would to `signedUrl` (a URL on the node), answers the TwiML. */
  async function post(signedUrl: string, params: Record<string, string>): Promise<string> {
    const body = { ...common, ...params };
    const target = new URL(signedUrl);
    const response = await doFetch(`${base}${target.pathname}${target.search}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(options.authToken, signedUrl, body),
        'i-twilio-idempotency-token': randomUUID(),
      },
      body: new URLSearchParams(body).toString(),
    });
    const text = await response.text();
    steps.push(`${target.searchParams.get('step') ?? 'voice'} ${response.status}`);
    if (!response.ok) throw new Error(`${signedUrl} answered ${response.status}: ${text.slice(0, 300)}`);
    id = response.headers.get('x-okpay-call-id') ?? id;
    state = response.headers.get('x-okpay-call-state') ?? state;
    return text;
  }
  const status = (callStatus: string, extra: Record<string, string> = {}) =>
    post(`${base}${webhookPath}?step=status`, { CallStatus: callStatus, Timestamp: new Date().toUTCString(), ...extra });
  const leaveVoicemail = async (twiml: string) => {
    const record = actionOf(twiml, 'Record');
    if (!record) throw new Error('the node offered no voicemail');
    const recordingSid = `RE${randomBytes(16).toString('hex')}`;
    await post(record, {
      CallStatus: 'in-progress',
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${common.AccountSid}/Recordings/${recordingSid}`,
      RecordingDuration: '12',
    });
    await status('completed', { CallDuration: '30' });
  };

  let twiml = await post(`${base}${webhookPath}?step=voice`, { CallStatus: 'ringing' });
  const language = actionOf(twiml, 'Gather');
  if (!language) {
    // The line is closed: the hours, then a voicemail or the caller hangs up.
    if (options.outcome === 'voicemail') await leaveVoicemail(twiml);
    else await status(options.outcome === 'no-answer' ? 'no-answer' : 'completed');
    return { id, state, callSid, steps };
  }
  twiml = await post(language, { CallStatus: 'in-progress', Digits: options.language ?? '1' });
  const menu = actionOf(twiml, 'Gather');
  if (!menu) throw new Error('the node offered no menu');
  twiml = await post(menu, { CallStatus: 'in-progress', Digits: options.menu ?? '1' });
  const queue = actionOf(twiml, 'Enqueue');
  if (!queue) throw new Error('the node did not queue the call');
  switch (options.outcome) {
    case 'answered':
      // The agent's Dial takes the caller from the queue; after the talk the caller leaves it bridged.
      await post(`${base}${webhookPath}?step=agent`, {
        CallStatus: 'in-progress',
        QueueSid: 'QU00000000000000000000000000000000',
        QueueTime: '5',
      });
      await post(queue, { CallStatus: 'in-progress', QueueResult: 'bridged', QueueTime: '5' });
      await status('completed', { CallDuration: '65' });
      break;
    case 'abandoned':
      await post(queue, { CallStatus: 'in-progress', QueueResult: 'hangup', QueueTime: '20' });
      await status('completed', { CallDuration: '25' });
      break;
    case 'no-answer':
      await status('no-answer');
      break;
    case 'voicemail':
      await leaveVoicemail(await post(queue, { CallStatus: 'in-progress', QueueResult: 'leave', QueueTime: '300' }));
      break;
  }
  return { id, state, callSid, steps };
}
