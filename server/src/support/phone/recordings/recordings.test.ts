import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../platform/index.js';
import type { Runtime } from '../../../runtime.js';
import { createChatCustomer } from '../../../test/realtime.js';
import { startTestRuntime } from '../../../test/runtime.js';
import { signedInStaff } from '../../../test/staff.js';
import { chromiumWebm, voicemailForm } from '../../../test/voicemail.js';
import { newIdempotencyKey } from '../../../test/wallet.js';
import { receiveCall } from '../receive-call.js';
import { recordCallEvent } from '../record-call-event.js';
import { expireRecordings } from './expire-recordings.js';

const clock = fixedClock('2026-04-08T22:30:00+08:00');
let runtime: Runtime;
let agent: Awaited<ReturnType<typeof signedInStaff>>;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock, env: { RECORDING_RETENTION_DAYS: '90' } });
  agent = await signedInStaff(runtime, 'agent');
});
afterAll(() => runtime?.close());

type Receipt = { conversationId: string; callId: string; recordingId: string };

async function leaveVoicemail(token: string): Promise<Receipt> {
  const form = voicemailForm(chromiumWebm);
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/support/voicemails',
    headers: { 'content-type': form.contentType, 'x-chat-token': token, 'idempotency-key': newIdempotencyKey() },
    payload: form.body,
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

/** The agent's browser asking for the recording, as an <audio> element does (cookie, maybe a Range). */
async function play(url: string, headers: Record<string, string> = {}, client = agent.client) {
  const response = await client.get(url, headers);
  return { status: response.status, headers: response.headers, bytes: response.raw.rawPayload, body: response.body };
}

const auditRows = async (action: string, targetId: string) =>
  (
    await runtime.deps.pool.query<{ actor_type: string; actor_id: string; target_type: string; details: Record<string, unknown> }>(
      'select actor_type, actor_id, target_type, details from audit_events where action = $1 and target_id = $2 order by id',
      [action, targetId],
    )
  ).rows;

describe('recordings in the console', () => {
  it('lists the voicemail on the call and streams it to an agent, every access audited with the recording and the customer', async () => {
    const customer = await createChatCustomer(runtime, '录音客户');
    const sent = await leaveVoicemail(customer.token);
    const detail = await agent.client.get(`/api/agent/conversations/${sent.conversationId}`);
    const [call] = (detail.body as { calls: Array<{ recordings: Array<Record<string, unknown>> }> }).calls;
    expect(call?.recordings).toEqual([
      {
        id: sent.recordingId,
        source: 'browser',
        state: 'stored',
        mimeType: 'audio/webm',
        size: chromiumWebm.length + 11,
        durationSeconds: expect.any(Number),
        createdAt: '2026-04-08T14:30:00.000Z',
        expiredAt: null,
        url: `/api/agent/recordings/${sent.recordingId}`,
      },
    ]);
    // Listing it is not listening to it.
    expect(await auditRows('call.recording_played', sent.recordingId)).toEqual([]);

    const whole = await play(`/api/agent/recordings/${sent.recordingId}`);
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({
      'content-type': 'audio/webm',
      'content-length': String(chromiumWebm.length + 11),
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-store',
      'cross-origin-resource-policy': 'same-origin',
    });
    const { rows } = await runtime.deps.pool.query<{ data: Buffer }>('select data from call_recordings where id = $1', [sent.recordingId]);
    expect(whole.bytes.equals(rows[0]?.data as Buffer)).toBe(true);

    // A player asks by range: the first bytes, the rest, the last ten.
    const first = await play(`/api/agent/recordings/${sent.recordingId}`, { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${whole.bytes.length}`);
    expect(first.bytes.equals(whole.bytes.subarray(0, 100))).toBe(true);
    const rest = await play(`/api/agent/recordings/${sent.recordingId}`, { range: 'bytes=100-' });
    expect(rest.bytes.equals(whole.bytes.subarray(100))).toBe(true);
    const tail = await play(`/api/agent/recordings/${sent.recordingId}`, { range: 'bytes=-10' });
    expect(tail.headers['content-range']).toBe(`bytes ${whole.bytes.length - 10}-${whole.bytes.length - 1}/${whole.bytes.length}`);
    expect(tail.bytes.equals(whole.bytes.subarray(-10))).toBe(true);

    const audited = await auditRows('call.recording_played', sent.recordingId);
    expect(audited).toHaveLength(4);
    expect(audited[0]).toEqual({
      actor_type: 'staff',
      actor_id: agent.id,
      target_type: 'call_recording',
      details: { callId: sent.callId, conversationId: sent.conversationId, customerId: customer.id, visitorId: null, range: null },
    });
    expect(audited.map((row) => row.details.range)).toEqual([null, '0-99', `100-${whole.bytes.length - 1}`, expect.any(String)]);
  });

  it('refuses ranges it cannot serve with 416 and the length, and writes no audit row for them', async () => {
    const customer = await createChatCustomer(runtime);
    const sent = await leaveVoicemail(customer.token);
    const url = `/api/agent/recordings/${sent.recordingId}`;
    const size = chromiumWebm.length + 11;
    for (const range of [`bytes=${size}-`, 'bytes=50-10', 'bytes=0-1,5-9', 'items=0-9', 'bytes=-0', 'bytes=-', 'bytes=x-']) {
      const refused = await play(url, { range });
      expect(refused.status, range).toBe(416);
      expect(refused.headers['content-range'], range).toBe(`bytes */${size}`);
      expect(refused.body, range).toMatchObject({ error: { code: 'recording_range_invalid' } });
    }
    expect(await auditRows('call.recording_played', sent.recordingId)).toEqual([]);
  });

  it('lets no caller, customer or stranger play a recording', async () => {
    const customer = await createChatCustomer(runtime);
    const sent = await leaveVoicemail(customer.token);
    const url = `/api/agent/recordings/${sent.recordingId}`;
    expect((await runtime.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await runtime.app.inject({ method: 'GET', url, headers: { 'x-chat-token': customer.token } })).statusCode).toBe(401);
    expect((await customer.client.get(url)).status).toBe(401);
    const unknown = await play('/api/agent/recordings/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'recording_not_found' } });
    expect(await auditRows('call.recording_played', sent.recordingId)).toEqual([]);
  });

  it('masks phone numbers in the call log, the inbox and the supervisor view, and shows them in full only on an audited request', async () => {
    const { call } = await receiveCall(runtime.deps, {
      provider: 'twilio',
      providerCallId: `CA${Date.now()}masking`,
      direction: 'inbound',
      from: '+8613800138000',
      to: '+862161234567',
    });
    await recordCallEvent(runtime.deps, { provider: 'twilio', providerCallId: call.providerCallId, event: 'hang-up' });
    const supervisor = await signedInStaff(runtime, 'supervisor');
    const detail = await agent.client.get(`/api/agent/conversations/${call.conversationId}`);
    expect((detail.body as { calls: unknown[] }).calls).toEqual([
      expect.objectContaining({ from: '+86 138****8000', to: '+862******567' }),
    ]);
    const lists = [
      detail,
      await agent.client.get('/api/agent/conversations?view=all&channel=phone'),
      await supervisor.client.get('/api/agent/supervisor/overview'),
    ];
    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain('13800138000');
      expect(JSON.stringify(list.body)).not.toContain('61234567');
    }
    expect(await auditRows('call.numbers_viewed', call.id)).toEqual([]);

    const full = await agent.client.post(`/api/agent/calls/${call.id}/numbers`);
    expect(full.status).toBe(200);
    expect(full.body).toEqual({ callId: call.id, from: '+8613800138000', to: '+862161234567' });
    expect(await auditRows('call.numbers_viewed', call.id)).toEqual([
      { actor_type: 'staff', actor_id: agent.id, target_type: 'call', details: { conversationId: call.conversationId, customerId: null } },
    ]);
    const unknown = await agent.client.post('/api/agent/calls/00000000-0000-4000-8000-000000000000/numbers');
    expect(unknown.body).toMatchObject({ error: { code: 'call_not_found' } });
    // The console's cookie session must send its CSRF token for it, like every change.
    agent.client.forgetCsrf();
    const withoutCsrf = await agent.client.post(`/api/agent/calls/${call.id}/numbers`);
    expect(withoutCsrf.status).toBe(403);
    agent = await signedInStaff(runtime, 'agent');
  });
});

describe('callbacks in the console', () => {
  it('lists a booked callback with its number masked, and gives the number in full only on an audited request', async () => {
    const customer = await createChatCustomer(runtime, '回电客户');
    const booked = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/callbacks',
      headers: { 'x-chat-token': customer.token },
      payload: { number: '+8613912345678', slot: '2026-04-09T10:00:00+08:00' },
    });
    expect(booked.statusCode).toBe(201);
    const { id, conversationId } = booked.json() as { id: string; conversationId: string };
    const detail = await agent.client.get(`/api/agent/conversations/${conversationId}`);
    expect((detail.body as { callbacks: unknown[] }).callbacks).toEqual([
      { id, conversationId, number: '+86 139****5678', dueAt: '2026-04-09T02:00:00.000Z', state: 'scheduled', attempts: 0 },
    ]);
    expect(JSON.stringify(detail.body)).not.toContain('13912345678');
    const full = await agent.client.post(`/api/agent/callbacks/${id}/number`);
    expect(full.body).toEqual({ callbackId: id, number: '+8613912345678' });
    expect(await auditRows('callback.number_viewed', id)).toEqual([
      { actor_type: 'staff', actor_id: agent.id, target_type: 'callback', details: { conversationId, customerId: customer.id } },
    ]);
    const unknown = await agent.client.post('/api/agent/callbacks/00000000-0000-4000-8000-000000000000/number');
    expect(unknown.body).toMatchObject({ error: { code: 'callback_not_found' } });
    // The customer's own chat token is not a way in.
    const asCustomer = await runtime.app.inject({
      method: 'POST',
      url: `/api/agent/callbacks/${id}/number`,
      headers: { 'x-chat-token': customer.token },
    });
    expect(asCustomer.statusCode).toBe(401);
  });
});

describe('the retention policy', () => {
  it('deletes only the bytes of recordings older than RECORDING_RETENTION_DAYS, marks them expired and says so in the console', async () => {
    const customer = await createChatCustomer(runtime);
    clock.set('2026-01-01T10:00:00+08:00');
    const old = await leaveVoicemail(customer.token);
    clock.set('2026-01-05T10:00:00+08:00');
    const newer = await leaveVoicemail(customer.token);

    clock.set('2026-03-31T09:00:00+08:00'); // 89 days after the first: nothing is due
    expect(await expireRecordings(runtime.deps)).toBe(0);
    clock.set('2026-04-02T10:00:00+08:00'); // 91 days after the first, 87 after the second
    expect(await expireRecordings(runtime.deps)).toBe(1);

    const { rows } = await runtime.deps.pool.query<{ id: string; state: string; has_data: boolean; expired_at: Date | null; size: number }>(
      'select id, state, data is not null as has_data, expired_at, size from call_recordings where id = any($1)',
      [[old.recordingId, newer.recordingId]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(old.recordingId)).toMatchObject({ state: 'expired', has_data: false, expired_at: new Date('2026-04-02T02:00:00Z') });
    expect(byId.get(newer.recordingId)).toMatchObject({ state: 'stored', has_data: true, expired_at: null });

    const expired = await play(`/api/agent/recordings/${old.recordingId}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ error: { code: 'recording_expired', message: '录音已按保留策略删除' } });
    expect((await play(`/api/agent/recordings/${newer.recordingId}`)).status).toBe(200);
    const detail = await agent.client.get(`/api/agent/conversations/${old.conversationId}`);
    expect((detail.body as { calls: Array<{ state: string; recordings: unknown[] }> }).calls[0]).toMatchObject({
      state: 'voicemail',
      recordings: [{ id: old.recordingId, state: 'expired', url: null, expiredAt: '2026-04-02T02:00:00.000Z', size: expect.any(Number) }],
    });
    // The deletion is the system's act, on the record; running again finds nothing more.
    const { rows: audit } = await runtime.deps.pool.query(
      "select actor_type, details from audit_events where action = 'call.recordings_expired' order by id desc limit 1",
    );
    expect(audit[0]).toMatchObject({
      actor_type: 'system',
      details: { retentionDays: 90, recordingIds: expect.arrayContaining([old.recordingId]) },
    });
    expect(audit[0]?.details.recordingIds).not.toContain(newer.recordingId);
    expect(await expireRecordings(runtime.deps)).toBe(0);
    clock.set('2026-04-08T22:30:00+08:00');
  });

  it('runs as an hourly pg-boss job', async () => {
    const { rows } = await runtime.deps.pool.query("select name, cron from pgboss.schedule where name = 'support.recording-retention'");
    expect(rows).toEqual([{ name: 'support.recording-retention', cron: '41 * * * *' }]);
  });
});
