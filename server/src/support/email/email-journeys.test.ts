import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmailTestRuntime, startEmailTestRuntime } from '../../test/email.js';
import { emailConsole } from '../../test/email-console.js';
import { signedInStaff } from '../../test/staff.js';
import { signedInCustomer } from '../../test/wallet.js';

let mail: EmailTestRuntime;
let agent: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  mail = await startEmailTestRuntime();
  agent = await signedInStaff(mail.runtime, 'agent', { displayName: '王芳' });
});
afterAll(() => mail?.close());

const console_ = () => emailConsole(agent.client);
const detail = (id: string) => console_().detail(id);

async function conversationWithSubject(subject: string) {
  const [found] = await console_().withSubject(subject);
  if (!found) throw new Error(`no conversation with subject ${subject}`);
  return found;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

describe('a customer writes to the support address', () => {
  it('becomes an email conversation in the console, with an acknowledgement in Chinese carrying the reference and the promise', async () => {
    const from = unique('xiaoming');
    const sent = await mail.send({
      from: `王小明 <${from}>`,
      to: 'support@okpay.local',
      subject: '充值失败但银行已扣款',
      text: '您好，我今天上午充值 500 元失败了，但银行卡 4242 4242 4242 4242 已经扣款。\n\n发自我的iPhone',
    });
    expect(sent.response).toMatch(/^250 2\.0\.0 Queued as /);
    const item = await conversationWithSubject('充值失败但银行已扣款');
    expect(item).toMatchObject({ channel: 'email', isVerified: false, reference: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/) });
    // The reply's due time comes from the SLA clocks, which follow the outbox within moments.
    await expect.poll(async () => Date.parse((await detail(item.id)).conversation.responseDueAt ?? '')).toBeGreaterThan(Date.now());

    const { conversation, messages, email } = await detail(item.id);
    expect(conversation).toMatchObject({
      channel: 'email',
      subject: '充值失败但银行已扣款',
      category: 'top_up',
      customerId: null,
      locale: 'zh-CN',
    });
    expect(messages[0]?.body).toBe('您好，我今天上午充值 500 元失败了，但银行卡 **** **** **** 4242 已经扣款。');
    expect(messages[0]?.redactions).toEqual({ card: 1 });
    expect(email.messages.find((item) => item.kind === 'message')?.quoted).toBe('发自我的iPhone');

    const acknowledgement = await mail.sink.waitFor((received) => received.to.includes(from));
    expect(acknowledgement.subject).toBe(`[#${item.reference}] 我们已收到您的邮件：充值失败但银行已扣款`);
    expect(acknowledgement.text).toContain(`工单编号为 #${item.reference}`);
    expect(acknowledgement.text).toMatch(
      /客服会在 48 小时内回复您（复杂问题需要 1–3 个工作日），预计在 \d{4}年\d{1,2}月\d{1,2}日星期. \d\d:\d\d（中国标准时间）前回复/,
    );
    expect(acknowledgement.html).toContain('48 小时');
    expect(acknowledgement.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(acknowledgement.parsed.inReplyTo).toBe(sent.messageId);
    expect(acknowledgement.parsed.replyTo?.text).toMatch(/^support\+[a-z2-7]{26}@okpay\.local$/);
  });

  it('acknowledges in English when the customer writes in English', async () => {
    const from = unique('emma');
    await mail.send({
      from,
      to: 'support@okpay.local',
      subject: 'Exchange question',
      text: 'Hello, what is your USD exchange rate today?',
    });
    const acknowledgement = await mail.sink.waitFor((received) => received.to.includes(from));
    expect(acknowledgement.subject).toMatch(/^\[#[A-HJ-NP-Z2-9]{6}\] We have received your email: Exchange question$/);
    expect(acknowledgement.text).toMatch(
      /We reply within 48 hours \(complex cases take 1–3 business days\); expect our answer by \w+day, \d{1,2} \w+ \d{4} at \d\d:\d\d \(China Standard Time\)/,
    );
  });

  it('links a verified customer email to the customer and their wallet, never an unverified one', async () => {
    const verified = await signedInCustomer(mail.runtime, { displayName: '李雷' });
    await mail.runtime.deps.pool.query('UPDATE customers SET email_verified_at = now() WHERE id = $1', [verified.id]);
    const unverified = await signedInCustomer(mail.runtime, { displayName: '韩梅梅' });
    await mail.send({ from: verified.email, to: 'support@okpay.local', subject: '转账没到账', text: '昨天的转账对方没收到。' });
    await mail.send({ from: unverified.email, to: 'support@okpay.local', subject: '绑卡问题', text: '绑卡时提示银行拒绝。' });
    const linked = await conversationWithSubject('转账没到账');
    expect(linked.isVerified).toBe(true);
    const linkedDetail = await detail(linked.id);
    expect(linkedDetail.conversation.customerId).toBe(verified.id);
    expect(linkedDetail.messages[0]?.authorType).toBe('customer');
    const panel = await agent.client.get(`/api/agent/customers/${verified.id}/panel?conversationId=${linked.id}`);
    expect(panel.status).toBe(200);
    const notLinked = await conversationWithSubject('绑卡问题');
    expect(notLinked.isVerified).toBe(false);
    expect((await detail(notLinked.id)).conversation.customerId).toBeNull();
  });
});

describe('agent and customer write back and forth by mail', () => {
  it('sends the agent answer as threaded HTML and text mail, and the customer reply lands in the same conversation, reopening it', async () => {
    const from = unique('lilei');
    const first = await mail.send({
      from: `Li Lei <${from}>`,
      to: 'support@okpay.local',
      subject: 'Top-up failed',
      text: 'My top-up of 100 CNY failed twice.',
    });
    const item = await conversationWithSubject('Top-up failed');
    const acknowledgement = await mail.sink.waitFor((received) => received.to.includes(from));

    const answer = await agent.client.post(`/api/agent/conversations/${item.id}/messages`, {
      body: 'Hello Li Lei,\n\nThe bank declined the card. Please try another card.',
    });
    expect(answer.status).toBe(201);
    const reply = await mail.sink.waitFor((received) => received.to.includes(from) && received.subject.startsWith('Re:'));
    expect(reply.subject).toBe(`Re: Top-up failed [#${item.reference}]`);
    expect(reply.text).toContain('The bank declined the card.');
    expect(reply.text).toContain('王芳');
    expect(reply.text).toContain(`Reference: #${item.reference}`);
    expect(reply.html).toContain('<strong>王芳</strong>');
    expect(reply.parsed.inReplyTo).toBe(first.messageId);
    expect(reply.parsed.references).toEqual(expect.arrayContaining([first.messageId, acknowledgement.parsed.messageId]));
    expect(reply.parsed.headers.get('thread-index')).toBeTruthy();
    expect(reply.parsed.replyTo?.text).toBe(acknowledgement.parsed.replyTo?.text);
    await expect.poll(async () => (await detail(item.id)).conversation.responseDueAt).toBeNull();
    await expect.poll(async () => (await detail(item.id)).email.messages.find((message) => message.kind === 'reply')?.status).toBe('sent');

    expect((await agent.client.patch(`/api/agent/conversations/${item.id}`, { status: 'resolved' })).status).toBe(200);
    await mail.send({
      from,
      to: reply.parsed.replyTo?.text ?? '',
      subject: `Re: ${reply.subject}`,
      inReplyTo: reply.parsed.messageId,
      references: [...(reply.parsed.references as string[]), reply.parsed.messageId ?? ''],
      text: `It worked with my other card, thanks!\n\nOn Mon, Dec 7, 2026 at 10:12 AM OKPay Customer Service <support@okpay.local> wrote:\n> ${reply.text.split('\n').join('\n> ')}`,
    });
    const reopened = await detail(item.id);
    expect(reopened.conversation.status).toBe('open');
    expect(reopened.messages.at(-1)?.body).toBe('It worked with my other card, thanks!');
    await expect.poll(async () => (await detail(item.id)).conversation.responseDueAt).not.toBeNull();
    // One acknowledgement per conversation: the reply gets none.
    expect(
      mail.sink.received.filter((received) => received.to.includes(from) && received.subject.includes('We have received')),
    ).toHaveLength(1);
  });
});
