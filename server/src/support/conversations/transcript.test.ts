import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createChatCustomer, listen, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

const clock = fixedClock(new Date());
let runtime: Runtime;
let baseUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
  baseUrl = await listen(runtime);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await runtime?.close();
});

type Answer = { status: number; body: { status?: string; message?: string; error?: { code: string; message: string } } };

let addresses = 0;

/** A conversation with a message in it, by a visitor or a signed-in customer (each from its own IP), and how to ask for its transcript. */
async function chat(kind: 'visitor' | 'customer', text = '我的订单号是 A-1234') {
  const token =
    kind === 'visitor'
      ? ((await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} })).json() as { token: string }).token
      : (await createChatCustomer(runtime)).token;
  const socket = await connect(baseUrl, token);
  sockets.push(socket);
  const started = await request<{ conversation: { id: string } }>(socket, 'conversation:start', {
    category: 'other',
    message: text,
    clientMessageId: clientMessageId(),
  });
  const id = started.conversation.id;
  addresses += 1;
  const ownIp = `203.0.113.${addresses}`;
  const post = async (path: string, payload: Record<string, unknown>, ip = ownIp): Promise<Answer> => {
    const response = await runtime.app.inject({
      method: 'POST',
      url: `/api/support/conversations/${id}/${path}`,
      headers: { 'x-chat-token': token },
      remoteAddress: ip,
      payload,
    });
    return { status: response.statusCode, body: response.json() };
  };
  return {
    id,
    token,
    transcript: (payload: Record<string, unknown> = {}, ip?: string) => post('transcript', payload, ip),
    verify: (code: string) => post('transcript/verify', { code }),
  };
}

async function mailsTo(address: string, atLeast = 1): Promise<Array<{ subject: string; text: string }>> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const rows = await runtime.deps.pool.query<{ subject: string; text: string }>(
      'SELECT subject, text FROM dev_mailbox WHERE recipient = $1 ORDER BY id',
      [address],
    );
    if (rows.rows.length >= atLeast) return rows.rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${atLeast} mails reached ${address}`);
}

/** The mail queue is worked asynchronously: let anything queued arrive before counting. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}

describe('chat transcripts are not a mail relay', () => {
  it('sends a visitor one code, with nothing of the chat in it, and the transcript only once the code comes back', async () => {
    const visitor = await chat('visitor', '我的订单号是 A-1234');
    const address = 'visitor.one@example.com';
    const asked = await visitor.transcript({ email: address });
    expect(asked).toMatchObject({ status: 202, body: { status: 'verification_required' } });
    const [codeMail] = await mailsTo(address);
    const code = /\b(\d{6})\b/.exec(codeMail?.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(codeMail?.text).not.toContain('A-1234');

    // No second verification mail for this conversation, to this address or any other.
    expect((await visitor.transcript({ email: address })).body).toMatchObject({ error: { code: 'transcript_verification_pending' } });
    expect((await visitor.transcript({ email: 'victim@example.com' })).body).toMatchObject({
      error: { code: 'transcript_verification_pending' },
    });
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await visitor.verify(wrong);
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'transcript_code_invalid' } } });
    expect(refused.body.error?.message).toContain('4');

    const confirmed = await visitor.verify(code);
    expect(confirmed).toMatchObject({ status: 202, body: { status: 'sent' } });
    const mails = await mailsTo(address, 2);
    expect(mails[1]?.text).toContain('A-1234');
    await settle();
    expect(await mailsTo('victim@example.com', 0)).toEqual([]);
    expect(await mailsTo(address)).toHaveLength(2);
  });

  it('locks a code after five wrong tries and refuses a code past its half hour', async () => {
    const guesser = await chat('visitor');
    await guesser.transcript({ email: 'guess@example.com' });
    const [mail] = await mailsTo('guess@example.com');
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
    const wrong = code === '999999' ? '999998' : '999999';
    for (let attempt = 0; attempt < 4; attempt++) expect((await guesser.verify(wrong)).body.error?.code).toBe('transcript_code_invalid');
    expect((await guesser.verify(wrong)).body.error?.code).toBe('transcript_code_expired');
    expect((await guesser.verify(code)).body.error?.code).toBe('transcript_code_expired');

    const late = await chat('visitor');
    await late.transcript({ email: 'late@example.com' });
    const [lateMail] = await mailsTo('late@example.com');
    clock.advance(31 * 60_000);
    expect((await late.verify(/\b(\d{6})\b/.exec(lateMail?.text ?? '')?.[1] ?? '')).body.error?.code).toBe('transcript_code_expired');
  });

  it('sends a customer the transcript only at their own, verified address', async () => {
    const customer = await chat('customer');
    const email = (
      await runtime.deps.pool.query<{ email: string }>(
        'SELECT cu.email FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1',
        [customer.id],
      )
    ).rows[0]?.email as string;
    expect((await customer.transcript()).body).toMatchObject({ error: { code: 'transcript_email_unverified' } });
    await runtime.deps.pool.query('UPDATE customers SET email_verified_at = now() WHERE email = $1', [email]);
    expect((await customer.transcript({ email: 'someone.else@example.com' })).body).toMatchObject({
      error: { code: 'transcript_only_own_email' },
    });
    expect(await customer.transcript()).toMatchObject({ status: 202, body: { status: 'sent' } });
    // Their address also had the sign-up verification mail; the transcript is the one other.
    await mailsTo(email, 2);
    await settle();
    expect((await mailsTo(email)).filter((mail) => mail.subject === 'OKPay 客服聊天记录')).toHaveLength(1);
  });

  it('spends a budget per conversation, per account and per IP', async () => {
    const customer = await chat('customer');
    await runtime.deps.pool.query(
      'UPDATE customers SET email_verified_at = now() WHERE id = (SELECT customer_id FROM conversations WHERE id = $1)',
      [customer.id],
    );
    const answers = [];
    for (let attempt = 0; attempt < 4; attempt++) answers.push((await customer.transcript({}, '198.51.100.1')).status);
    expect(answers).toEqual([202, 202, 202, 429]);

    // Twelve visitors from one address: the eleventh is refused before any mail goes out.
    const statuses = [];
    for (let visitor = 0; visitor < 11; visitor++) {
      statuses.push((await (await chat('visitor')).transcript({ email: `flood.${visitor}@example.com` }, '198.51.100.2')).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
    await settle();
    expect(await mailsTo('flood.10@example.com', 0)).toEqual([]);
  });
});
