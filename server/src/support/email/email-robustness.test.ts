import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmailTestRuntime, startEmailTestRuntime } from '../../test/email.js';
import { emailConsole } from '../../test/email-console.js';
import { signedInStaff } from '../../test/staff.js';
import { signedInCustomer } from '../../test/wallet.js';
import { pruneInbound } from './email.repository.js';
import { startInboundSmtp } from './inbound/inbound-smtp-server.js';
import { receiveInbound } from './inbound/receive-inbound.js';
import { replayInbound } from './replay-inbound.js';

const webhookKey = 'key-test-signing-0123456789abcdef';
let mail: EmailTestRuntime;
let agent: Awaited<ReturnType<typeof signedInStaff>>;
let api: ReturnType<typeof emailConsole>;

beforeAll(async () => {
  mail = await startEmailTestRuntime({ EMAIL_WEBHOOK_SIGNING_KEY: webhookKey, EMAIL_ATTACHMENT_MAX_MB: '1' });
  agent = await signedInStaff(mail.runtime, 'agent');
  api = emailConsole(agent.client);
});
afterAll(() => mail?.close());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

async function only(subject: string) {
  const found = await api.withSubject(subject);
  expect(found).toHaveLength(1);
  return api.detail(found[0]?.id ?? '');
}

describe('the SMTP server says clearly what it will not take', () => {
  it('refuses unknown mailboxes at RCPT with 550 and accepts plus-addressed ones', async () => {
    await expect(mail.send({ from: unique('a'), to: 'sales@okpay.local', subject: 'x', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('5.1.1'),
    });
    await expect(mail.send({ from: unique('a'), to: 'support@elsewhere.example', subject: 'x', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
    });
    await mail.send({ from: unique('plus'), to: 'support+billing@okpay.local', subject: 'plus tag', text: 'tagged' });
    await only('plus tag');
  });

  it('refuses a 20 MB attachment with 552, the size limit in the reply', async () => {
    await expect(
      mail.send({
        from: unique('big'),
        to: 'support@okpay.local',
        subject: 'huge',
        text: 'see attachment',
        attachments: [{ filename: 'scan.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20 * 1024 * 1024)]) }],
      }),
    ).rejects.toMatchObject({ responseCode: 552, response: expect.stringContaining('25 MB') });
  });

  it('answers 451 while the message cannot be committed, and takes it once it can', async () => {
    const { pool } = mail.runtime.deps;
    await pool.query(
      `CREATE FUNCTION okpay_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`,
    );
    await pool.query('CREATE TRIGGER okpay_test_refuse BEFORE INSERT ON inbound_emails FOR EACH ROW EXECUTE FUNCTION okpay_test_refuse()');
    const message = { from: unique('retry'), to: 'support@okpay.local', subject: 'after an outage', text: 'sent twice' };
    try {
      await expect(mail.send(message)).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await pool.query('DROP TRIGGER okpay_test_refuse ON inbound_emails');
      await pool.query('DROP FUNCTION okpay_test_refuse()');
    }
    await mail.send(message);
    await only('after an outage');
  });
});

describe('bad mail never crashes or gets lost', () => {
  it('keeps allowed attachments, lists the refused ones with why', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32)]);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await mail.send({
      from: unique('files'),
      to: 'support@okpay.local',
      subject: 'with files',
      text: 'Statement and screenshot attached.',
      attachments: [
        { filename: '账单.pdf', content: pdf },
        { filename: 'screen.png', content: png },
        { filename: 'setup.exe', content: Buffer.from('MZ\x90\x00 not for agents') },
        { filename: 'photo.jpg', content: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(1024 * 1024 + 10)]) },
      ],
    });
    const detail = await only('with files');
    const files = detail.email.messages[0]?.attachments ?? [];
    expect(files.map((file) => [file.fileName, file.id !== null, file.refused])).toEqual([
      ['账单.pdf', true, null],
      ['screen.png', true, null],
      ['setup.exe', false, 'type_not_allowed'],
      ['photo.jpg', false, 'too_large'],
    ]);
    expect(detail.messages[0]?.attachment).toMatchObject({ fileName: '账单.pdf', mimeType: 'application/pdf' });
    const download = await agent.client.get(`/api/support/attachments/${files[0]?.id}`);
    expect(download.status).toBe(200);
  });

  it('takes a body of a million lines, shows the start and flags it as cut', async () => {
    await mail.send({ from: unique('long'), to: 'support@okpay.local', subject: 'million lines', text: 'line\n'.repeat(1_000_000) });
    const detail = await only('million lines');
    expect(detail.messages[0]?.body.length).toBeLessThanOrEqual(20_000);
    expect(detail.email.messages[0]?.flags).toContain('truncated');
  });

  it('drops NUL bytes and keeps the rest', async () => {
    const from = unique('nul');
    await mail.sendRaw(`From: ${from}\r\nTo: support@okpay.local\r\nSubject: nul\u0000 bytes\r\n\r\nbefore\u0000after\r\n`, {
      from,
      to: ['support@okpay.local'],
    });
    const detail = await only('nul bytes');
    expect(detail.messages[0]?.body).toBe('beforeafter');
    expect(detail.email.messages[0]?.flags).toContain('nul_removed');
  });

  it('turns broken MIME into a conversation with whatever can be read', async () => {
    const from = unique('broken');
    const raw = [
      `From: ${from}`,
      'To: support@okpay.local',
      'Subject: broken mime',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=no-such-charset',
      'Content-Transfer-Encoding: base64',
      '',
      '5oiR55qE6LSm5oi35Ya757uT5LqG!!!not base64 at all',
      '--never-closed',
      'Content-Type: application/octet-stream; name=',
      '',
    ].join('\r\n');
    await mail.sendRaw(raw, { from, to: ['support@okpay.local'] });
    const detail = await only('broken mime');
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0]?.body).toContain('我的账户冻结了');
  });

  it('never links or threads a forged From, flags it and sends no acknowledgement', async () => {
    const victim = await signedInCustomer(mail.runtime, { displayName: '受害人' });
    await mail.runtime.deps.pool.query('UPDATE customers SET email_verified_at = now() WHERE id = $1', [victim.id]);
    await mail.sendRaw(
      `From: ${victim.email}\r\nTo: support@okpay.local\r\nSubject: please change my phone\r\n\r\nChange my phone to 13800000000.\r\n`,
      {
        from: 'attacker@evil.example',
        to: ['support@okpay.local'],
      },
    );
    const detail = await only('please change my phone');
    expect(detail.conversation.customerId).toBeNull();
    expect(detail.conversation.isVerified).toBe(false);
    expect(detail.email.messages[0]?.flags).toContain('sender_mismatch');
    expect(detail.events.find((event) => event.type === 'email_flagged')?.data).toMatchObject({ reasons: ['sender_mismatch'] });
    expect(detail.email.messages.filter((message) => message.kind === 'acknowledgement')).toHaveLength(0);
  });

  it('stores the same delivery twice only once', async () => {
    const from = unique('twice');
    const raw = `From: ${from}\r\nTo: support@okpay.local\r\nSubject: delivered twice\r\nMessage-ID: <twice-${counter}@example.com>\r\n\r\nhello\r\n`;
    await mail.sendRaw(raw, { from, to: ['support@okpay.local'] });
    await mail.sendRaw(raw, { from, to: ['support@okpay.local'] });
    await mail.sendRaw(raw.replace('Subject', 'X-Relay: second path\r\nSubject'), { from, to: ['support@okpay.local'] });
    expect((await only('delivered twice')).messages).toHaveLength(1);
  });

  it('processes mail a stopped node stored but never read', async () => {
    const from = unique('orphan');
    const raw = Buffer.from(`From: ${from}\r\nTo: support@okpay.local\r\nSubject: left behind\r\n\r\nnobody read me\r\n`);
    const stored = await receiveInbound(
      mail.runtime.deps,
      { source: 'smtp', envelopeFrom: from, envelopeTo: ['support@okpay.local'], remoteAddress: null },
      raw,
    );
    await mail.runtime.deps.pool.query("UPDATE inbound_emails SET received_at = now() - interval '1 minute' WHERE id = $1", [stored.id]);
    await expect.poll(() => api.withSubject('left behind'), { timeout: 15_000, interval: 250 }).toHaveLength(1);
  });
});

describe('replay and retention', () => {
  it('parses stored mail again without posting it twice', async () => {
    await mail.send({ from: unique('replay'), to: 'support@okpay.local', subject: 'replay me', text: 'once' });
    const before = await only('replay me');
    const ids = await mail.runtime.deps.pool.query<{ id: string }>('SELECT id FROM inbound_emails WHERE conversation_id = $1', [
      before.conversation.id,
    ]);
    const summary = await replayInbound(mail.runtime.deps, { ids: ids.rows.map((row) => row.id) });
    expect(summary).toEqual({ replayed: 1, failed: 0 });
    expect((await only('replay me')).messages).toHaveLength(1);
  });

  it('drops raw mail past its retention and keeps the conversation', async () => {
    await mail.send({ from: unique('old'), to: 'support@okpay.local', subject: 'old mail', text: 'from long ago' });
    const detail = await only('old mail');
    await mail.runtime.deps.pool.query("UPDATE inbound_emails SET received_at = now() - interval '31 days' WHERE conversation_id = $1", [
      detail.conversation.id,
    ]);
    expect(await pruneInbound(mail.runtime.deps.db, 30)).toBeGreaterThanOrEqual(1);
    const raw = await mail.runtime.deps.pool.query('SELECT raw FROM inbound_emails WHERE conversation_id = $1', [detail.conversation.id]);
    expect(raw.rows[0]?.raw).toBeNull();
    expect((await only('old mail')).messages[0]?.body).toBe('from long ago');
  });
});

describe("the provider's inbound webhook (Mailgun raw MIME)", () => {
  function mailgunForm(fields: Record<string, string>) {
    const boundary = '----mailgun-simulator';
    const body = Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('');
    return { payload: `${body}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }
  function signed(raw: string, at = Math.floor(Date.now() / 1000), key = webhookKey) {
    const token = randomBytes(25).toString('hex');
    const signature = createHmac('sha256', key).update(`${at}${token}`).digest('hex');
    return { timestamp: String(at), token, signature, recipient: 'support@okpay.local', sender: 'hook@example.com', 'body-mime': raw };
  }
  const raw = 'From: hook@example.com\r\nTo: support@okpay.local\r\nSubject: via the provider\r\n\r\nDelivered by webhook.\r\n';

  it('feeds signed raw mail into the same pipeline as SMTP', async () => {
    const response = await mail.runtime.app.inject({ method: 'POST', url: '/api/email/inbound/mailgun/mime', ...mailgunForm(signed(raw)) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ isDuplicate: false });
    await mail.runtime.email.processor.idle();
    expect((await only('via the provider')).messages[0]?.body).toBe('Delivered by webhook.');
  });

  it.each([
    ['a wrong signature', () => signed(raw, undefined, 'key-of-someone-else-0000000000'), 401, 'email_webhook_signature_invalid'],
    ['an old timestamp', () => signed(raw, Math.floor(Date.now() / 1000) - 3600), 401, 'email_webhook_stale'],
    ['no message', () => ({ ...signed(raw), 'body-mime': '' }), 400, 'email_webhook_body_missing'],
  ])('refuses %s', async (_name, fields, status, code) => {
    const response = await mail.runtime.app.inject({ method: 'POST', url: '/api/email/inbound/mailgun/mime', ...mailgunForm(fields()) });
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });
});

describe('a second node and a failing relay', () => {
  it('runs without inbound mail when its port is taken, and says so', async () => {
    const warnings: string[] = [];
    const logger = Object.create(mail.runtime.deps.logger, {
      warn: { value: (_context: unknown, message: string) => warnings.push(message) },
      info: { value: () => undefined },
    });
    const second = await startInboundSmtp({ ...mail.runtime.deps, logger }, () => undefined);
    expect(second).toBeNull();
    expect(warnings.join('\n')).toMatch(/could not listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\); running without it/);
    // The node itself goes on answering mail on the port it does have.
    await mail.send({ from: unique('still'), to: 'support@okpay.local', subject: 'still served', text: 'yes' });
    await only('still served');
  });

  it('shows the agent a reply that could not be sent, and sends it again on request', async () => {
    const failing = await startEmailTestRuntime({
      SMTP_URL: 'smtp://127.0.0.1:9',
      EMAIL_SEND_ATTEMPTS: '2',
      EMAIL_SEND_RETRY_SECONDS: '1',
    });
    try {
      const staff = await signedInStaff(failing.runtime, 'agent');
      const consoleApi = emailConsole(staff.client);
      await failing.send({ from: unique('unlucky'), to: 'support@okpay.local', subject: 'relay down', text: 'hello?' });
      const [item] = await consoleApi.withSubject('relay down');
      await staff.client.post(`/api/agent/conversations/${item?.id}/messages`, { body: 'Our answer' });
      const failedReply = async () => (await consoleApi.detail(item?.id ?? '')).email.messages.find((message) => message.kind === 'reply');
      await expect.poll(async () => (await failedReply())?.status, { timeout: 20_000, interval: 300 }).toBe('failed');
      const detail = await consoleApi.detail(item?.id ?? '');
      expect(detail.events.find((event) => event.type === 'email_send_failed')?.data).toMatchObject({ attempts: 2 });
      expect((await failedReply())?.lastError).toMatch(/ECONNREFUSED|connect/);
      const retried = await staff.client.post(`/api/agent/email/messages/${(await failedReply())?.id}/retry`);
      expect(retried.status).toBe(202);
      expect((await failedReply())?.status).toBe('queued');
      const again = await staff.client.post(`/api/agent/email/messages/${(await failedReply())?.id}/retry`);
      expect(again.status).toBe(409);
    } finally {
      await failing.close();
    }
  });
});
