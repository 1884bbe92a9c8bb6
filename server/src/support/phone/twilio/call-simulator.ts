import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** The account the calls come from; given, the recording is served only with its credentials (HTTP basic auth), as Twilio does. */
  accountSid?: string;
  /** How long a voicemail's recording is served, waiting for the node to fetch it (default 30 s). */
  recordingWaitMs?: number;
  fetch?: typeof fetch;
};

export type SimulatedCall = {
  id: string;
  state: string;
  callSid: string;
  steps: string[];
  /** A voicemail's recording: whether the node fetched it while it was served, and how many requests it made. */
  recording?: { fetched: boolean; requests: number };
};

/**
 * The recording of a simulated voicemail: a real WAV file (a short tone) on a loopback HTTP
 * server, at a path like Twilio's, for the node to fetch as it fetches Twilio's.
 */
async function serveRecording(options: { accountSid: string; authToken: string; requireAuth: boolean }) {
  const { toneWav } = await import('../../../platform/index.js');
  const wav = toneWav(3);
  const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  let requests = 0;
  let fetched!: () => void;
  const whenFetched = new Promise<void>((resolve) => {
    fetched = resolve;
  });
  const server: Server = createServer((request, response) => {
    requests++;
    if (options.requireAuth && request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="Twilio API"' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': wav.length }).end(wav, () => fetched());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const recordingSid = `RE${randomBytes(16).toString('hex')}`;
  return {
    recordingSid,
    url: `http://127.0.0.1:${port}/2010-04-01/Accounts/${options.accountSid}/Recordings/${recordingSid}`,
    /** Serves until the node has fetched the file or `ms` have passed. */
    async settle(ms: number): Promise<{ fetched: boolean; requests: number }> {
      const { within } = await import('../../../platform/index.js');
      const done = await within(
        whenFetched.then(() => true),
        ms,
        false,
      );
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return { fetched: done, requests };
    },
  };
}

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
  let recording: SimulatedCall['recording'];
  const common = {
    AccountSid: options.accountSid ?? 'AC00000000000000000000000000000000',
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
    const served = await serveRecording({
      accountSid: common.AccountSid,
      authToken: options.authToken,
      requireAuth: options.accountSid !== undefined,
    });
    try {
      await post(record, {
        CallStatus: 'in-progress',
        RecordingSid: served.recordingSid,
        RecordingUrl: served.url,
        RecordingDuration: '3',
      });
      await status('completed', { CallDuration: '30' });
    } finally {
      recording = await served.settle(options.recordingWaitMs ?? 30_000);
    }
  };

  let twiml = await post(`${base}${webhookPath}?step=voice`, { CallStatus: 'ringing' });
  const language = actionOf(twiml, 'Gather');
  if (!language) {
    // The line is closed: the hours, then a voicemail or the caller hangs up.
    if (options.outcome === 'voicemail') await leaveVoicemail(twiml);
    else await status(options.outcome === 'no-answer' ? 'no-answer' : 'completed');
    return { id, state, callSid, steps, ...(recording ? { recording } : {}) };
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
  return { id, state, callSid, steps, ...(recording ? { recording } : {}) };
}
