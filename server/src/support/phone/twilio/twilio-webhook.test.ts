import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { signedInCustomer } from '../../../test/wallet.js';
import { findConversation } from '../../conversations/conversations.repository.js';
import { listCallsOfConversation } from '../list-conversation-calls.js';
import { twilioSignature } from './twilio-signature.js';

const authToken = 'twilio-auth-token-for-tests-0123';
const clock = fixedClock('2026-04-08T10:00:00+08:00'); // a Wednesday morning: the phone line is open
let runtime: Runtime;
beforeAll(async () => {
  // Recordings are fetched only from this origin, which does not exist: no test reaches the internet.
  runtime = await startTestRuntime({
    clock,
    env: { TWILIO_AUTH_TOKEN: authToken, TWILIO_RECORDING_ORIGINS: 'https://media.twilio.invalid' },
  });
});
afterAll(() => runtime?.close());

let sequence = 0;
const newCallSid = () => `CA${(++sequence).toString(16).padStart(32, '0')}`;

/** The parameters of Twilio's documented voice request for an inbound call. */
function voiceRequest(callSid: string, from = '+8613800138000'): Record<string, string> {
  return {
    AccountSid: 'AC00000000000000000000000000000000',
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'ringing',
    Called: '+862100000000',
    Caller: from,
    Direction: 'inbound',
    From: from,
    FromCountry: 'CN',
    To: '+862100000000',
    ToCountry: 'CN',
  };
}

async function post(step: string, params: Record<string, string>, options: { signature?: string; token?: string; query?: string } = {}) {
  const path = `/api/telephony/webhooks/twilio?step=${step}${options.query ?? ''}`;
  const signature = options.signature ?? twilioSignature(authToken, `http://okpay.test${path}`, params);
  const response = await runtime.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      ...(options.token ? { 'i-twilio-idempotency-token': options.token } : {}),
    },
    payload: new URLSearchParams(params).toString(),
  });
  return {
    status: response.statusCode,
    body: response.body,
    callId: response.headers['x-okpay-call-id'] as string | undefined,
    state: response.headers['x-okpay-call-state'] as string | undefined,
    json: () => response.json(),
  };
}

const inCall = (callSid: string, extra: Record<string, string>) => ({
  AccountSid: 'AC00000000000000000000000000000000',
  CallSid: callSid,
  CallStatus: 'in-progress',
  ...extra,
});

async function conversationOf(callId: string) {
  const { rows } = await runtime.deps.pool.query<{ conversation_id: string }>('select conversation_id from calls where id = $1', [callId]);
  return rows[0]?.conversation_id as string;
}

describe("Twilio's voice webhook", () => {
  it('refuses a forged signature, and one over other parameters or another URL, and stores nothing', async () => {
    const sid = newCallSid();
    const params = voiceRequest(sid);
    const forged = await post('voice', params, {
      signature: twilioSignature('not-the-auth-token-0000', 'http://okpay.test/api/telephony/webhooks/twilio?step=voice', params),
    });
    expect(forged.status).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'telephony_signature_invalid' } });
    const signedOther = twilioSignature(authToken, 'http://okpay.test/api/telephony/webhooks/twilio?step=voice', {
      ...params,
      From: '+8613900000000',
    });
    expect((await post('voice', params, { signature: signedOther })).status).toBe(401);
    const otherStep = twilioSignature(authToken, 'http://okpay.test/api/telephony/webhooks/twilio?step=status', params);
    expect((await post('voice', params, { signature: otherStep })).status).toBe(401);
    expect((await post('voice', params, { signature: '' })).status).toBe(401);
    const { rows } = await runtime.deps.pool.query('select 1 from calls where provider_call_id = $1', [sid]);
    expect(rows).toHaveLength(0);
  });

  it('takes a call through the language choice, the menu and the queue to an agent, and logs it completed', async () => {
    const sid = newCallSid();
    const ring = await post('voice', voiceRequest(sid));
    expect(ring.status).toBe(200);
    expect(ring.state).toBe('ringing');
    expect(ring.body).toContain(
      '<Gather action="http://okpay.test/api/telephony/webhooks/twilio?step=language" method="POST" numDigits="1"',
    );
    expect(ring.body).toContain('<Say language="zh-CN">您好，欢迎致电 OKPay 客服。普通话服务请按 1。</Say>');
    expect(ring.body).toContain('<Say language="en-US">For English, press 2.</Say>');

    const english = await post('language', inCall(sid, { Digits: '2' }), { token: 'token-language' });
    expect(english.body).toContain(
      'For top-up problems, press 1. For a frozen account, press 2. For cards, press 3. For anything else, press 4.',
    );
    expect(english.body).toContain('action="http://okpay.test/api/telephony/webhooks/twilio?step=menu"');

    // A key the menu does not have: asked again.
    const wrong = await post('menu', inCall(sid, { Digits: '9' }), { token: 'token-menu-1' });
    expect(wrong.state).toBe('ringing');
    expect(wrong.body).toContain('For top-up problems, press 1.');

    clock.set('2026-04-08T10:00:30+08:00');
    const queued = await post('menu', inCall(sid, { Digits: '1' }), { token: 'token-menu-2' });
    expect(queued.state).toBe('queued');
    expect(queued.body).toContain('<Say language="en-US">Connecting you to an agent; please hold.</Say>');
    expect(queued.body).toContain(
      '<Enqueue action="http://okpay.test/api/telephony/webhooks/twilio?step=queue" method="POST">support</Enqueue>',
    );

    clock.set('2026-04-08T10:01:30+08:00');
    expect((await post('agent', inCall(sid, { QueueSid: 'QU0', QueueTime: '60' }))).state).toBe('answered');
    clock.set('2026-04-08T10:05:30+08:00');
    expect((await post('queue', inCall(sid, { QueueResult: 'bridged', QueueTime: '60' }))).body).toContain('<Hangup/>');
    const done = await post(
      'status',
      inCall(sid, { CallStatus: 'completed', CallDuration: '300', Timestamp: 'Wed, 08 Apr 2026 02:05:30 +0000' }),
    );
    expect(done.state).toBe('completed');

    const conversationId = await conversationOf(done.callId as string);
    expect(await findConversation(runtime.deps.db, conversationId)).toMatchObject({ channel: 'phone', category: 'top_up' });
    const [call] = await listCallsOfConversation(runtime.deps.db, conversationId);
    expect(call).toMatchObject({
      state: 'completed',
      disposition: 'completed',
      queueSeconds: 60,
      talkSeconds: 240,
      from: '+86 138****8000',
    });
    expect(call?.log.map((entry) => `${entry.event}:${entry.to}`)).toEqual([
      'ring:ringing',
      'language:2:ringing',
      'menu:9:ringing',
      'enqueue:queued',
      'answer:answered',
      'queue:bridged:answered',
      'hang-up:completed',
    ]);
  });

  it('refuses a replayed request: the same first request, the same status report, and a stale timestamp', async () => {
    const sid = newCallSid();
    expect((await post('voice', voiceRequest(sid))).status).toBe(200);
    const again = await post('voice', voiceRequest(sid));
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'telephony_replay' } });
    const hangUp = inCall(sid, { CallStatus: 'completed' });
    expect((await post('status', hangUp)).state).toBe('abandoned');
    expect((await post('status', hangUp)).status).toBe(409);
    // A menu answer retried by Twilio carries the same idempotency token.
    await post('language', inCall(sid, { Digits: '1' }), { token: 'retry-me' });
    expect((await post('language', inCall(sid, { Digits: '1' }), { token: 'retry-me' })).status).toBe(409);
    const stale = await post('status', inCall(sid, { CallStatus: 'busy', Timestamp: 'Wed, 08 Apr 2026 01:00:00 +0000' }));
    expect(stale.status).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: 'telephony_stale' } });
    const unknown = await post('status', inCall('CA-nobody-rang', { CallStatus: 'completed' }));
    expect(unknown.status).toBe(404);
    const missing = await post('status', { CallSid: sid });
    expect(missing.json()).toMatchObject({ error: { code: 'telephony_request_invalid' } });
  });

  it('says the hours and takes a voicemail when the phone line is closed', async () => {
    clock.set('2026-04-08T22:30:00+08:00');
    const sid = newCallSid();
    const closed = await post('voice', voiceRequest(sid));
    expect(closed.body).toContain('<Say language="zh-CN">现在是非工作时间，明天 09:00 起接听。您可以在提示音后留言');
    expect(closed.body).toContain('<Say language="en-US">Closed now; lines open tomorrow 09:00. You can leave a message');
    expect(closed.body).toContain(
      '<Record action="http://okpay.test/api/telephony/webhooks/twilio?step=recording" method="POST" maxLength="120" playBeep="true"/>',
    );
    const recorded = await post(
      'recording',
      inCall(sid, {
        RecordingSid: 'RE0001',
        RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE0001',
        RecordingDuration: '14',
      }),
    );
    expect(recorded.state).toBe('voicemail');
    expect(recorded.body).toContain('留言已收到');
    // Twilio's final status after the voicemail changes nothing.
    expect((await post('status', inCall(sid, { CallStatus: 'completed' }))).state).toBe('voicemail');
    const { rows } = await runtime.deps.pool.query('select recording_url from calls where provider_call_id = $1', [sid]);
    expect(rows[0]).toEqual({ recording_url: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE0001' });
    clock.set('2026-04-08T10:00:00+08:00');
  });

  it('abandons a call whose caller hangs up in the queue, and sends a caller who waits too long to voicemail', async () => {
    const first = newCallSid();
    await post('voice', voiceRequest(first));
    await post('language', inCall(first, { Digits: '1' }), { token: 'a' });
    await post('menu', inCall(first, { Digits: '2' }), { token: 'b' });
    expect((await post('queue', inCall(first, { QueueResult: 'hangup' }))).state).toBe('abandoned');

    const second = newCallSid();
    await post('voice', voiceRequest(second));
    await post('language', inCall(second, { Digits: '1' }), { token: 'c' });
    await post('menu', inCall(second, { Digits: '4' }), { token: 'd' });
    const left = await post('queue', inCall(second, { QueueResult: 'leave' }));
    expect(left.body).toContain('<Say language="zh-CN">现在暂时无人接听，请在提示音后留言。</Say><Record');
    expect((await post('recording', inCall(second, { RecordingSid: 'RE0002', RecordingUrl: 'https://example.com/RE0002' }))).state).toBe(
      'voicemail',
    );
  });

  it('pops the wallet of the customer whose verified phone is calling', async () => {
    const customer = await signedInCustomer(runtime, { phone: '13812345678' });
    await runtime.deps.pool.query('update customers set phone_verified_at = now() where id = $1', [customer.id]);
    const ring = await post('voice', voiceRequest(newCallSid(), '+8613812345678'));
    const conversation = await findConversation(runtime.deps.db, await conversationOf(ring.callId as string));
    expect(conversation).toMatchObject({ customerId: customer.id, isVerified: true, channel: 'phone' });
    // The console shows the call log beside the conversation, and the caller's wallet panel.
    const agent = await signedInStaff(runtime, 'agent');
    const detail = await agent.client.get(`/api/agent/conversations/${conversation?.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.conversation).toMatchObject({ channel: 'phone', customerId: customer.id });
    expect(detail.body.calls).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        from: '+86 138****5678',
        state: 'ringing',
        disposition: null,
        log: [expect.objectContaining({ event: 'ring' })],
      }),
    ]);
    const panel = await agent.client.get(`/api/agent/customers/${customer.id}/panel?conversationId=${conversation?.id}`);
    expect(panel.status).toBe(200);
    expect(panel.body.profile).toMatchObject({ id: customer.id, phone: '13812345678', phoneVerified: true });
  });
});
