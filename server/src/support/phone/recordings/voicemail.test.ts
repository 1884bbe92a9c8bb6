import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioDurationMs, fixedClock } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { createChatCustomer } from '../../../test/realtime.js';
import { startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { chromiumMp4, chromiumWebm, multipart, voicemailForm } from '../../../test/voicemail.js';
import { newIdempotencyKey } from '../../../test/wallet.js';
import { findConversation } from '../../conversations/conversations.repository.js';

const clock = fixedClock('2026-04-08T22:30:00+08:00'); // after the phone line's hours: the widget offers a voicemail
let runtime: Runtime;
beforeAll(async () => {
  // The smallest limits the settings allow, so "too large" and "too long" are cheap to reach.
  runtime = await startTestRuntime({ clock, env: { VOICEMAIL_MAX_MB: '1', VOICEMAIL_MAX_SECONDS: '10' } });
});
afterAll(() => runtime?.close());

async function visitorToken(): Promise<{ token: string; visitorId: string }> {
  const response = await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} });
  return response.json();
}

async function upload(
  token: string | undefined,
  form: { body: Buffer; contentType: string },
  options: { key?: string | null; locale?: string } = {},
) {
  const key = options.key === undefined ? newIdempotencyKey() : options.key;
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/support/voicemails',
    headers: {
      'content-type': form.contentType,
      'accept-language': options.locale ?? 'zh-CN',
      ...(token ? { 'x-chat-token': token } : {}),
      ...(key === null ? {} : { 'idempotency-key': key }),
    },
    payload: form.body,
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

const countCalls = async () => Number((await runtime.deps.pool.query<{ n: string }>('select count(*) as n from calls')).rows[0]?.n);
const countRecordings = async () =>
  Number((await runtime.deps.pool.query<{ n: string }>('select count(*) as n from call_recordings')).rows[0]?.n);

describe('a voicemail from the widget', () => {
  it('becomes a phone conversation of the customer, its call in state voicemail with the recording attached', async () => {
    const customer = await createChatCustomer(runtime, '留言客户');
    const sent = await upload(customer.token, voicemailForm(chromiumWebm, { category: 'top_up', seconds: '1.5' }));
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      conversationId: expect.any(String),
      callId: expect.any(String),
      recordingId: expect.any(String),
      state: 'voicemail',
      durationSeconds: expect.any(Number),
      message: expect.stringMatching(/^您的语音留言（0:0[12]）已收到，客服会在服务时间内尽快处理。$/),
    });
    expect(sent.body.durationSeconds).toBeGreaterThan(1.3);
    expect(sent.body.durationSeconds).toBeLessThan(1.7);

    const conversation = await findConversation(runtime.deps.db, sent.body.conversationId);
    expect(conversation).toMatchObject({
      channel: 'phone',
      status: 'open',
      category: 'top_up',
      customerId: customer.id,
      isVerified: true,
      contactName: '留言客户',
    });
    const { rows: calls } = await runtime.deps.pool.query(
      'select provider, direction, state, customer_id, from_number, ended_at is not null as ended from calls where id = $1',
      [sent.body.callId],
    );
    expect(calls).toEqual([
      { provider: 'widget', direction: 'inbound', state: 'voicemail', customer_id: customer.id, from_number: '', ended: true },
    ]);
    // Through the same state machine as the provider's calls: rang, then the voicemail.
    const { rows: log } = await runtime.deps.pool.query(
      'select event, from_state, to_state from call_events where call_id = $1 order by seq',
      [sent.body.callId],
    );
    expect(log).toEqual([
      { event: 'ring', from_state: 'ringing', to_state: 'ringing' },
      { event: 'voicemail', from_state: 'ringing', to_state: 'voicemail' },
    ]);
    const { rows: events } = await runtime.deps.pool.query(
      'select type, data from conversation_events where conversation_id = $1 order by created_at, type',
      [sent.body.conversationId],
    );
    expect(events.map((event) => event.type)).toEqual(['call_changed', 'created']);

    // The stored WebM now says how long it is, so players can show and seek it.
    const { rows } = await runtime.deps.pool.query<{ data: Buffer; mime_type: string; size: number; source: string; state: string }>(
      'select data, mime_type, size, source, state from call_recordings where id = $1',
      [sent.body.recordingId],
    );
    expect(rows[0]).toMatchObject({ mime_type: 'audio/webm', source: 'browser', state: 'stored', size: chromiumWebm.length + 11 });
    expect(rows[0]?.data.indexOf(Buffer.from([0x44, 0x89, 0x88]))).toBeGreaterThan(0);
    expect(audioDurationMs(rows[0]?.data as Buffer, 'audio/webm')).toBe(sent.body.durationSeconds * 1000);
  });

  it('takes a visitor’s voicemail too, in English, filed under the visitor', async () => {
    const visitor = await visitorToken();
    const sent = await upload(visitor.token, voicemailForm(chromiumWebm), { locale: 'en' });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatch(/^We received your voicemail \(0:0[12]\)\. An agent will follow up during our hours\.$/);
    expect(await findConversation(runtime.deps.db, sent.body.conversationId)).toMatchObject({
      channel: 'phone',
      customerId: null,
      visitorId: visitor.visitorId,
      isVerified: false,
      category: 'other',
      locale: 'en',
    });
    // The visitor's own list in the widget has it.
    const list = await runtime.app.inject({ method: 'GET', url: '/api/support/conversations', headers: { 'x-chat-token': visitor.token } });
    expect(list.json().conversations).toEqual([expect.objectContaining({ id: sent.body.conversationId, channel: 'phone' })]);
  });

  it('uses the recorder’s timer for a file that does not say its length, and refuses one over VOICEMAIL_MAX_SECONDS', async () => {
    const customer = await createChatCustomer(runtime);
    const mp4 = await upload(customer.token, voicemailForm(chromiumMp4, { seconds: '1.5' }, 'voicemail.m4a', 'audio/mp4'));
    expect(mp4.status).toBe(201);
    expect(mp4.body.durationSeconds).toBe(1.5);
    const before = await countCalls();
    const long = await upload(customer.token, voicemailForm(chromiumMp4, { seconds: '30' }, 'voicemail.m4a', 'audio/mp4'));
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'voicemail_too_long', message: '留言最长 10 秒，请重新录制' });
    expect(await countCalls()).toBe(before);
  });

  it('answers a retried upload with the voicemail already stored, never a second one, even when both arrive at once', async () => {
    const customer = await createChatCustomer(runtime);
    const key = newIdempotencyKey();
    const first = await upload(customer.token, voicemailForm(chromiumWebm), { key });
    const before = { calls: await countCalls(), recordings: await countRecordings() };
    const retried = await upload(customer.token, voicemailForm(chromiumWebm), { key });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect({ calls: await countCalls(), recordings: await countRecordings() }).toEqual(before);

    const raced = newIdempotencyKey();
    const [one, two] = await Promise.all([
      upload(customer.token, voicemailForm(chromiumWebm), { key: raced }),
      upload(customer.token, voicemailForm(chromiumWebm), { key: raced }),
    ]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(one.body.callId).toBe(two.body.callId);
    expect(await countCalls()).toBe(before.calls + 1);

    // Another recording under a key already used is refused; another caller's same key is theirs alone.
    const other = await upload(customer.token, voicemailForm(chromiumMp4, {}, 'v.m4a', 'audio/mp4'), { key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('voicemail_idempotency_key_reused');
    const stranger = await createChatCustomer(runtime);
    const theirs = await upload(stranger.token, voicemailForm(chromiumWebm), { key });
    expect(theirs.status).toBe(201);
    expect(theirs.body.callId).not.toBe(first.body.callId);
  });

  it.each([
    ['an empty file', () => voicemailForm(Buffer.alloc(0)), 400, 'voicemail_empty'],
    ['a WebM header without any audio', () => voicemailForm(chromiumWebm.subarray(0, 150)), 400, 'voicemail_empty'],
    ['a PNG named .webm', () => voicemailForm(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), 415, 'voicemail_type_not_allowed'],
    [
      'a page of HTML labelled audio/webm',
      () => voicemailForm(Buffer.from('<html><script>alert(1)</script></html>')),
      415,
      'voicemail_type_not_allowed',
    ],
    [
      'a WAV (not what a browser records)',
      () => voicemailForm(Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt '), Buffer.alloc(40)])),
      415,
      'voicemail_type_not_allowed',
    ],
    [
      'a file over VOICEMAIL_MAX_MB',
      () => voicemailForm(Buffer.concat([chromiumWebm, Buffer.alloc(1024 * 1024)])),
      413,
      'voicemail_too_large',
    ],
    ['no file at all', () => multipart([{ name: 'category', value: 'other' }]), 400, 'voicemail_file_missing'],
    [
      'the file under another name',
      () => multipart([{ name: 'audio', fileName: 'v.webm', contentType: 'audio/webm', bytes: chromiumWebm }]),
      400,
      'voicemail_field_invalid',
    ],
    [
      'two files',
      () =>
        multipart([
          { name: 'file', fileName: 'a.webm', contentType: 'audio/webm', bytes: chromiumWebm },
          { name: 'file', fileName: 'b.webm', contentType: 'audio/webm', bytes: chromiumWebm },
        ]),
      400,
      'voicemail_field_invalid',
    ],
    ['an unknown category', () => voicemailForm(chromiumWebm, { category: 'refund' }), 400, 'voicemail_field_invalid'],
    ['a NUL in the category', () => voicemailForm(chromiumWebm, { category: 'other\u0000' }), 400, 'voicemail_field_invalid'],
    ['a NUL in a field’s name', () => voicemailForm(chromiumWebm, { 'cate\u0000gory': 'other' }), 400, 'voicemail_field_invalid'],
    ['a length that is not a number', () => voicemailForm(chromiumWebm, { seconds: '1e9' }), 400, 'voicemail_field_invalid'],
    [
      'JSON instead of a form',
      () => ({ body: Buffer.from('{"file":"AAAA"}'), contentType: 'application/json' }),
      400,
      'voicemail_file_missing',
    ],
    [
      'a form cut off in the middle',
      () => {
        const form = voicemailForm(chromiumWebm);
        return { ...form, body: form.body.subarray(0, 900) };
      },
      400,
      undefined,
    ],
  ] as const)('refuses %s and writes nothing', async (_label, form, status, code) => {
    const customer = await createChatCustomer(runtime);
    const before = { calls: await countCalls(), recordings: await countRecordings() };
    const refused = await upload(customer.token, form());
    expect(refused.status).toBe(status);
    if (code) expect(refused.body.error.code).toBe(code);
    expect(typeof refused.body.error.message).toBe('string');
    expect({ calls: await countCalls(), recordings: await countRecordings() }).toEqual(before);
  });

  it('takes a file whose name holds a NUL or a path, and keeps no name from the client', async () => {
    const customer = await createChatCustomer(runtime);
    const sent = await upload(customer.token, voicemailForm(chromiumWebm, {}, '../../etc/pass\u0000wd.webm'));
    expect(sent.status).toBe(201);
    const { rows } = await runtime.deps.pool.query('select * from call_recordings where id = $1', [sent.body.recordingId]);
    expect(JSON.stringify(Object.keys(rows[0] ?? {}))).not.toContain('name');
  });

  it('needs a chat token and an Idempotency-Key', async () => {
    const customer = await createChatCustomer(runtime);
    const nobody = await upload(undefined, voicemailForm(chromiumWebm));
    expect(nobody.status).toBe(401);
    const forged = await upload('forged-token', voicemailForm(chromiumWebm));
    expect(forged.status).toBe(401);
    const noKey = await upload(customer.token, voicemailForm(chromiumWebm), { key: null });
    expect(noKey.body.error.code).toBe('voicemail_idempotency_key_missing');
    for (const key of ['short', 'has spaces in it', 'ключ-ключ-ключ', 'x'.repeat(101)]) {
      const bad = await upload(customer.token, voicemailForm(chromiumWebm), { key });
      expect(bad.status, key).toBe(400);
      expect(bad.body.error.code, key).toMatch(/^(voicemail_idempotency_key_invalid|validation_failed)$/);
    }
    // A staff session is not a caller.
    const agent = await signedInStaff(runtime, 'agent');
    const form = voicemailForm(chromiumWebm);
    const asStaff = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/voicemails',
      headers: { 'content-type': form.contentType, authorization: `Bearer ${agent.token}`, 'idempotency-key': newIdempotencyKey() },
      payload: form.body,
    });
    expect(asStaff.statusCode).toBe(401);
  });

  it('lets other sites’ widgets send it: the preflight allows the Idempotency-Key header', async () => {
    const preflight = await runtime.app.inject({
      method: 'OPTIONS',
      url: '/api/support/voicemails',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toContain('idempotency-key');
  });

  it('appears in the customer’s support history with the call and the voicemail’s length', async () => {
    const customer = await createChatCustomer(runtime, '历史客户');
    const sent = await upload(customer.token, voicemailForm(chromiumWebm, { category: 'freeze' }));
    const list = await customer.client.get('/api/support/my-conversations');
    expect(list.status).toBe(200);
    expect((list.body as { conversations: unknown[] }).conversations).toEqual([
      expect.objectContaining({ id: sent.body.conversationId, channel: 'phone', category: 'freeze', status: 'open' }),
    ]);
    const detail = await customer.client.get(`/api/support/my-conversations/${sent.body.conversationId}`);
    expect(detail.body).toMatchObject({
      conversation: { id: sent.body.conversationId, channel: 'phone' },
      messages: [],
      calls: [
        { id: sent.body.callId, direction: 'inbound', state: 'voicemail', voicemailSeconds: sent.body.durationSeconds, talkSeconds: null },
      ],
    });
    // Numbers and the log stay on the agents' side.
    expect(JSON.stringify(detail.body)).not.toMatch(/from|log|url/);
  });
});
