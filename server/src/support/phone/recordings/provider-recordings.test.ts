import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneWav } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { freePort, startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { simulateCall } from '../twilio/call-simulator.js';
import { twilioSignature } from '../twilio/twilio-signature.js';
import { isAllowedRecordingUrl } from './provider-recordings.js';

const authToken = 'twilio-auth-token-for-recordings-01';
const accountSid = 'AC0123456789abcdef0123456789abcdef';
const wav = toneWav(2);
let runtime: Runtime;
let url = '';

/** A stand-in for the provider's media host on loopback: answers each request as the test scripts it, and remembers them. */
type Answer = { status: number; body?: Buffer; type?: string };
let script: Answer[] = [];
const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
let media: Server;
let mediaUrl = '';

beforeAll(async () => {
  media = createServer((request, response) => {
    seen.push({ path: request.url ?? '', headers: request.headers });
    const answer = script.shift() ?? { status: 200, body: wav, type: 'audio/x-wav' };
    response.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain' }).end(answer.body ?? 'no');
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // The real clock (status reports carry the time they were sent); retries a second apart, three tries.
  runtime = await startTestRuntime({
    env: {
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_ACCOUNT_SID: accountSid,
      PUBLIC_URL: url,
      RECORDING_FETCH_ATTEMPTS: '3',
      RECORDING_FETCH_RETRY_SECONDS: '1',
    },
  });
  await runtime.app.listen({ port, host: '127.0.0.1' });
  const admin = await signedInStaff(runtime, 'admin');
  const allDay = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
  await admin.client.put('/api/agent/hours/calendars/phone', { timeZone: 'Asia/Shanghai', weekly: allDay, followsChinaHolidays: false });
});
afterAll(async () => {
  await runtime?.close();
  media?.closeAllConnections();
  await new Promise((resolve) => media?.close(resolve));
});

let sequence = 0;
/** A caller who leaves the queue for a voicemail, its recording at `recordingUrl`, as Twilio reports it. */
async function voicemailCall(recordingUrl: string): Promise<{ callId: string; recordingSid: string }> {
  const callSid = `CA${Date.now().toString(16)}${(++sequence).toString(16).padStart(8, '0')}`;
  const recordingSid = `RE${callSid.slice(2)}`;
  const post = async (step: string, params: Record<string, string>) => {
    const path = `/api/telephony/webhooks/twilio?step=${step}`;
    const body = { AccountSid: accountSid, CallSid: callSid, ...params };
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, `${url}${path}`, body),
      },
      body: new URLSearchParams(body).toString(),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.headers.get('x-okpay-call-id') as string;
  };
  const callId = await post('voice', { CallStatus: 'ringing', From: '+8613800138000', To: '+862100000000', Direction: 'inbound' });
  await post('recording', { CallStatus: 'in-progress', RecordingSid: recordingSid, RecordingUrl: recordingUrl, RecordingDuration: '2' });
  return { callId, recordingSid };
}

type Row = {
  state: string;
  fetch_attempts: number;
  last_error: string | null;
  mime_type: string | null;
  duration_ms: number | null;
  data: Buffer | null;
};
async function recordingOf(callId: string): Promise<Row | undefined> {
  const { rows } = await runtime.deps.pool.query<Row>(
    'select state, fetch_attempts, last_error, mime_type, duration_ms, data from call_recordings where call_id = $1',
    [callId],
  );
  return rows[0];
}
async function settled(callId: string): Promise<Row> {
  await expect.poll(async () => (await recordingOf(callId))?.state, { timeout: 25_000, interval: 200 }).toMatch(/^(stored|failed)$/);
  return (await recordingOf(callId)) as Row;
}

describe("the provider's recordings", () => {
  it('are fetched by a job with the account’s credentials, a failed try retried, and kept as ours', async () => {
    seen.length = 0;
    // The provider is not ready at first (Twilio answers 404 for a moment), then serves the file.
    script = [{ status: 404 }, { status: 503 }];
    const { callId, recordingSid } = await voicemailCall(`${mediaUrl}/2010-04-01/Accounts/${accountSid}/Recordings/RE-ready-on-third`);
    const stored = await settled(callId);
    expect(stored).toMatchObject({ state: 'stored', fetch_attempts: 3, last_error: null, mime_type: 'audio/wav', duration_ms: 2000 });
    expect(stored.data?.equals(wav)).toBe(true);
    expect(seen).toHaveLength(3);
    expect(seen.every((request) => request.path === `/2010-04-01/Accounts/${accountSid}/Recordings/RE-ready-on-third`)).toBe(true);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    const { rows } = await runtime.deps.pool.query('select provider_recording_id, source from call_recordings where call_id = $1', [
      callId,
    ]);
    expect(rows).toEqual([{ provider_recording_id: recordingSid, source: 'provider' }]);
  });

  it('give up after RECORDING_FETCH_ATTEMPTS, and at once when the provider refuses the credentials or serves no audio', async () => {
    script = [{ status: 500 }, { status: 502 }, { status: 500 }];
    const down = await settled((await voicemailCall(`${mediaUrl}/down`)).callId);
    expect(down).toMatchObject({ state: 'failed', fetch_attempts: 3, last_error: 'HTTP 500', data: null });

    script = [{ status: 401 }];
    const refused = await settled((await voicemailCall(`${mediaUrl}/refused`)).callId);
    expect(refused).toMatchObject({ state: 'failed', fetch_attempts: 1, last_error: 'HTTP 401' });

    script = [{ status: 200, body: Buffer.from('<html>login</html>'), type: 'text/html' }];
    const page = await settled((await voicemailCall(`${mediaUrl}/page`)).callId);
    expect(page).toMatchObject({ state: 'failed', fetch_attempts: 1, last_error: 'not audio (text/html)' });
  });

  it('are never fetched from an origin that is not the provider’s', async () => {
    const before = seen.length;
    const elsewhere = await settled((await voicemailCall('http://169.254.169.254/latest/meta-data/')).callId);
    expect(elsewhere).toMatchObject({ state: 'failed', fetch_attempts: 1, last_error: 'origin not allowed (TWILIO_RECORDING_ORIGINS)' });
    expect(seen.length).toBe(before);
    const twilio = ['https://api.twilio.com'];
    expect(isAllowedRecordingUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1', twilio, true)).toBe(true);
    expect(isAllowedRecordingUrl('http://127.0.0.1:8080/recording', twilio, true)).toBe(false);
    expect(isAllowedRecordingUrl('http://127.0.0.1:8080/recording', twilio, false)).toBe(true);
    expect(isAllowedRecordingUrl('https://api.twilio.com.evil.example/x', twilio, true)).toBe(false);
    expect(isAllowedRecordingUrl('https://user:pass@api.twilio.com/x', twilio, true)).toBe(false);
    expect(isAllowedRecordingUrl('not a url', twilio, false)).toBe(false);
  });

  it('of the simulator’s voicemail are a real WAV served on loopback, fetched by the node and playable in the console', async () => {
    const call = await simulateCall({ url, authToken, accountSid, from: '+8613800138000', to: '+862100000000', outcome: 'voicemail' });
    expect(call.state).toBe('voicemail');
    expect(call.recording).toEqual({ fetched: true, requests: 1 });
    const stored = await settled(call.id);
    expect(stored).toMatchObject({ state: 'stored', mime_type: 'audio/wav', duration_ms: 3000 });
    const agent = await signedInStaff(runtime, 'agent');
    const { rows } = await runtime.deps.pool.query<{ conversation_id: string }>('select conversation_id from calls where id = $1', [
      call.id,
    ]);
    const detail = await agent.client.get(`/api/agent/conversations/${rows[0]?.conversation_id}`);
    const recording = (detail.body as { calls: Array<{ recordings: Array<{ url: string; source: string }> }> }).calls[0]?.recordings[0];
    expect(recording?.source).toBe('provider');
    const played = await agent.client.get(recording?.url as string);
    expect(played.status).toBe(200);
    expect(played.headers['content-type']).toBe('audio/wav');
    expect(played.raw.rawPayload.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });
});
