import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmailTestRuntime, startEmailTestRuntime } from '../../test/email.js';
import { emailConsole } from '../../test/email-console.js';
import { signedInStaff } from '../../test/staff.js';

let mail: EmailTestRuntime;
let agent: Awaited<ReturnType<typeof signedInStaff>>;
let api: ReturnType<typeof emailConsole>;

beforeAll(async () => {
  mail = await startEmailTestRuntime({ EMAIL_ACK_LIMIT_PER_HOUR: '3' });
  agent = await signedInStaff(mail.runtime, 'agent', { displayName: '王芳' });
  api = emailConsole(agent.client);
});
afterAll(() => mail?.close());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

/** A customer writes; returns the conversation, our acknowledgement and our reply to them. */
async function conversationWithReply(subject: string) {
  const from = unique('customer');
  const first = await mail.send({ from, to: 'support@okpay.local', subject, text: `${subject}: please help.` });
  const [item] = await api.withSubject(subject);
  if (!item) throw new Error('no conversation');
  await agent.client.post(`/api/agent/conversations/${item.id}/messages`, { body: `About ${subject}: here is our answer.` });
  const reply = await mail.sink.waitFor((received) => received.to.includes(from) && received.subject.startsWith('Re:'));
  return { from, first, item, reply };
}

async function messageCount(id: string) {
  return (await api.detail(id)).messages.length;
}

describe('replies find their conversation', () => {
  it('by References alone, when In-Reply-To names a message we never saw (Outlook rewrote it)', async () => {
    const { from, item, reply } = await conversationWithReply('Outlook rewrote the id');
    await mail.send({
      from,
      to: 'support@okpay.local',
      subject: 'RE: Outlook rewrote the id',
      inReplyTo: '<AM0PR01MB1234REWRITTEN@eurprd01.prod.outlook.com>',
      references: [reply.parsed.messageId ?? '', '<AM0PR01MB1234REWRITTEN@eurprd01.prod.outlook.com>'],
      text: 'Reply through Outlook',
    });
    expect(await messageCount(item.id)).toBe(3);
  });

  it('by the reply-to token when the mail app dropped every threading header', async () => {
    const { from, item, reply } = await conversationWithReply('Webmail without headers');
    await mail.send({ from, to: reply.parsed.replyTo?.text, subject: 'another subject entirely', text: 'No headers of yours here' });
    expect(await messageCount(item.id)).toBe(3);
  });

  it('by the Outlook Thread-Index we sent', async () => {
    const { from, item, reply } = await conversationWithReply('Outlook thread index');
    const threadIndex = String(reply.parsed.headers.get('thread-index'));
    const child = Buffer.concat([Buffer.from(threadIndex, 'base64'), Buffer.from([0, 0, 0, 9, 1])]).toString('base64');
    await mail.send({
      from,
      to: 'support@okpay.local',
      subject: '答复: Outlook thread index',
      headers: { 'Thread-Index': child },
      text: '见附件',
    });
    expect(await messageCount(item.id)).toBe(3);
  });

  it('by the reference in a subject with Chinese reply prefixes, from the same sender', async () => {
    const { from, item } = await conversationWithReply('中文前缀');
    await mail.send({ from, to: 'support@okpay.local', subject: `回复：答复: [#${item.reference}] 中文前缀`, text: '补充一下情况' });
    expect(await messageCount(item.id)).toBe(3);
  });

  it('accepts a reply-all from someone the customer copied in', async () => {
    const from = unique('boss');
    const colleague = unique('colleague');
    const first = await mail.send({ from, to: 'support@okpay.local', cc: colleague, subject: 'Company account', text: 'Please help us.' });
    const [item] = await api.withSubject('Company account');
    await mail.send({
      from: colleague,
      to: 'support@okpay.local',
      cc: from,
      subject: 'Re: Company account',
      inReplyTo: first.messageId,
      references: [first.messageId],
      text: 'Adding the account number.',
    });
    expect(await messageCount(item?.id ?? '')).toBe(2);
  });
});

describe('mail that must start a new conversation', () => {
  it('another sender who knows a reference cannot write into the conversation', async () => {
    const { item, reply } = await conversationWithReply('Somebody else ticket');
    const intruder = unique('intruder');
    await mail.send({
      from: intruder,
      to: reply.parsed.replyTo?.text,
      subject: `Re: [#${item.reference}] Somebody else ticket`,
      inReplyTo: reply.parsed.messageId,
      text: 'Please send me the account details',
    });
    expect(await messageCount(item.id)).toBe(2);
    const [own] = (await api.inbox(`view=all&q=${encodeURIComponent(intruder)}`)).filter((candidate) => candidate.id !== item.id);
    expect(own).toBeDefined();
    const flagged = await api.detail(own?.id ?? '');
    expect(flagged.events.find((event) => event.type === 'created')?.data).toMatchObject({ mentionedReference: item.reference });
    expect(flagged.events.find((event) => event.type === 'email_flagged')?.data).toMatchObject({ reasons: ['not_a_participant'] });
  });

  it('a forwarded mail, even with our headers in it', async () => {
    const { from, item, reply } = await conversationWithReply('Forward me');
    await mail.send({
      from,
      to: 'support@okpay.local',
      subject: '转发：Forward me',
      inReplyTo: reply.parsed.messageId,
      text: '---------- Forwarded message ---------\nold',
    });
    expect(await messageCount(item.id)).toBe(2);
    expect(await api.withSubject('Forward me')).toHaveLength(2);
  });

  it('a new subject from the same customer', async () => {
    const { from, item } = await conversationWithReply('First question');
    await mail.send({ from, to: 'support@okpay.local', subject: 'Second question', text: 'Something else' });
    expect(await messageCount(item.id)).toBe(2);
    expect(await api.withSubject('Second question')).toHaveLength(1);
  });

  it('a reply to a closed conversation, which it names as its predecessor', async () => {
    const { from, item, reply } = await conversationWithReply('Closed already');
    await agent.client.patch(`/api/agent/conversations/${item.id}`, { status: 'closed' });
    await mail.send({
      from,
      to: 'support@okpay.local',
      subject: 'Re: Closed already',
      inReplyTo: reply.parsed.messageId,
      text: 'One more thing',
    });
    const both = await api.withSubject('Closed already');
    expect(both).toHaveLength(2);
    const next = both.find((candidate) => candidate.id !== item.id);
    expect((await api.detail(next?.id ?? '')).events[0]?.data).toMatchObject({ followUpOf: item.reference });
  });
});

describe('no loops and no noise', () => {
  it('does not acknowledge robots, lists or bulk mail, but keeps them as conversations', async () => {
    for (const [name, headers] of [
      ['auto-submitted', { 'Auto-Submitted': 'auto-generated' }],
      ['bulk', { Precedence: 'bulk' }],
      ['list', { 'List-Unsubscribe': '<mailto:leave@news.example>' }],
      ['suppressed', { 'X-Auto-Response-Suppress': 'All' }],
    ] as const) {
      const from = unique(name);
      await mail.send({ from, to: 'support@okpay.local', subject: `noise ${name}`, headers, text: 'automated' });
      const [item] = await api.withSubject(`noise ${name}`);
      const detail = await api.detail(item?.id ?? '');
      expect(detail.email.messages.map((message) => message.kind)).toEqual(['message']);
    }
  });

  it('records an out-of-office answer without reopening or answering it', async () => {
    const { from, item, reply } = await conversationWithReply('Out of office');
    await agent.client.patch(`/api/agent/conversations/${item.id}`, { status: 'resolved' });
    await mail.send({
      from,
      to: reply.parsed.replyTo?.text,
      subject: 'Automatic reply: Out of office',
      inReplyTo: reply.parsed.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am on holiday until Monday.',
    });
    const after = await api.detail(item.id);
    expect(after.conversation.status).toBe('resolved');
    expect(after.messages).toHaveLength(2);
    expect(after.events.find((event) => event.type === 'email_auto_reply')?.data).toMatchObject({
      subject: 'Automatic reply: Out of office',
    });
  });

  it('drops mail carrying our own X-Loop and refuses our own address from outside', async () => {
    await mail.send({
      from: unique('looper'),
      to: 'support@okpay.local',
      subject: 'loop back',
      headers: { 'X-Loop': 'support@okpay.local' },
      text: 'x',
    });
    expect(await api.withSubject('loop back')).toHaveLength(0);
    await expect(
      mail.send({ from: 'support@okpay.local', to: 'support@okpay.local', subject: 'from ourselves', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('own address'),
    });
  });

  it('acknowledges one sender at most EMAIL_ACK_LIMIT_PER_HOUR times an hour', async () => {
    const from = unique('flood');
    for (let index = 0; index < 5; index++) await mail.send({ from, to: 'support@okpay.local', subject: `flood ${index}`, text: 'again' });
    const acknowledged = await mail.runtime.deps.pool.query<{ subject: string }>(
      "SELECT c.subject FROM email_messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.kind = 'acknowledgement' AND m.recipient = $1 ORDER BY c.subject",
      [from],
    );
    expect(acknowledged.rows.map((row) => row.subject)).toEqual(['flood 0', 'flood 1', 'flood 2']);
    await mail.sink.waitFor((received) => received.to.includes(from) && received.subject.includes('flood 2'));
  });
});

describe('bounces', () => {
  it('a hard bounce marks the address undeliverable and tells the agent, and makes no ticket', async () => {
    const { from, item } = await conversationWithReply('Bounce me');
    const detail = await api.detail(item.id);
    const sent = detail.email.messages.find((message) => message.kind === 'reply');
    const outgoing = mail.sink.received.find((received) => received.to.includes(from) && received.subject.startsWith('Re:'));
    const envelopeFrom = String(outgoing?.parsed.headers.get('return-path') ?? '');
    const bounceTo = /support\+bounce-[a-z2-7]{26}@okpay\.local/.exec(envelopeFrom)?.[0] ?? (await bounceAddressOf(sent?.id ?? ''));
    const report = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      `To: ${bounceTo}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '很抱歉，您的邮件无法投递。This is the mail system at host mx.example.com.',
      '',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      `Final-Recipient: rfc822; ${from}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${outgoing?.parsed.messageId}`,
      `To: ${from}`,
      '',
      '--b1--',
      '',
    ].join('\r\n');
    await mail.sendRaw(report, { from: '', to: [bounceTo] });
    const after = await api.detail(item.id);
    expect(after.email.thread).toMatchObject({ address: from, isUndeliverable: true, bounceStatus: '5.1.1' });
    expect(after.events.find((event) => event.type === 'email_bounced')?.data).toMatchObject({ address: from, status: '5.1.1' });
    expect(after.email.messages.find((message) => message.kind === 'reply')?.status).toBe('bounced');
    expect(await api.withSubject('Undelivered Mail Returned to Sender')).toHaveLength(0);
  });
});

async function bounceAddressOf(emailMessageId: string): Promise<string> {
  const row = await mail.runtime.deps.pool.query<{ bounce_token: string }>('SELECT bounce_token FROM email_messages WHERE id = $1', [
    emailMessageId,
  ]);
  return `support+bounce-${row.rows[0]?.bounce_token}@okpay.local`;
}
