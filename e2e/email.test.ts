import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/**
 * Email support end to end: the demo customer writes to the support address from their mail app
 * (a real SMTP client), the agent answers in the console, the answer arrives as threaded mail, and
 * the customer's reply lands in the same conversation.
 */

const journey = useJourney({ inboundSmtp: true });
const { openPage } = journey;

function customerMailApp() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: journey.inboundSmtpPort, secure: false, ignoreTLS: true });
}

async function agentOnline(): Promise<Page> {
  const page = await openPage('email-agent');
  await page.goto('/agent');
  await page.waitForURL('**/agent/login?next=%2Fagent');
  await signIn(page, 'agent@okpay.local', demoPassword);
  await page.waitForURL((url) => url.pathname === '/agent');
  const presence = page.getByRole('radiogroup', { name: '接待状态' });
  await presence.getByText('在线', { exact: true }).click();
  await expect.poll(() => presence.getByRole('radio', { name: '在线' }).isChecked()).toBe(true);
  return page;
}

describe('email support', () => {
  it('an agent answers a customer email in the console, and the conversation continues by mail', async () => {
    // Customers find the address and the promise at the foot of the public pages.
    const home = await openPage('email-home');
    await home.goto('/');
    const footerLink = home.getByRole('contentinfo').getByRole('link', { name: 'support@okpay.local' });
    expect(await footerLink.getAttribute('href')).toBe('mailto:support@okpay.local');
    await home.getByRole('contentinfo').getByText('48 小时内回复').waitFor();

    const agent = await agentOnline();
    const mailApp = customerMailApp();
    const first = await mailApp.sendMail({
      from: '王小明 <demo@okpay.local>',
      to: 'support@okpay.local',
      subject: '充值失败但银行已扣款',
      text: [
        '您好，',
        '',
        '我今天上午用尾号 4242 的卡充值 500 元，页面显示失败，但银行已经扣款了。请帮忙查一下。',
        '',
        '发自我的iPhone',
      ].join('\n'),
    });

    // The acknowledgement: the reference in the subject and the promise with its date.
    const acknowledgement = await journey.sink.waitFor(
      (mail) => mail.to.includes('demo@okpay.local') && mail.subject.includes('我们已收到您的邮件'),
    );
    const reference = /\[#([A-Z2-9]{6})\]/.exec(acknowledgement.subject)?.[1] ?? '';
    expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(acknowledgement.text).toContain('48 小时内回复您（复杂问题需要 1–3 个工作日）');
    const mailView = await openPage('email-mail-app');
    await mailView.setContent(acknowledgement.html);
    await screenshot(mailView, 'email-01-acknowledgement-as-received');

    // The console: routed to the online agent, with subject, reference, the promise and the wallet.
    const row = agent.getByRole('list', { name: '我的' }).getByRole('button', { name: /充值失败但银行已扣款/ });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain(`#${reference}`);
    await row.click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByText(`工单 #${reference}`).waitFor();
    // The email SLA's first-reply countdown.
    await conversation
      .getByText(/^首次回复 剩/)
      .first()
      .waitFor();
    await conversation.getByText('我今天上午用尾号 4242 的卡充值 500 元，页面显示失败，但银行已经扣款了。请帮忙查一下。').waitFor();
    await expect.poll(() => conversation.getByText('发自我的iPhone').count()).toBe(0);
    await conversation.getByRole('button', { name: '显示引用的历史邮件和签名' }).click();
    await conversation.getByText('发自我的iPhone').waitFor();
    await conversation.getByText(/已自动发送确认邮件/).waitFor();
    await agent.getByRole('complementary', { name: '客户资料' }).getByText('demo@okpay.local').waitFor();
    await screenshot(agent, 'email-02-agent-sees-email-with-wallet');

    // The agent answers; the customer gets threaded HTML and text mail.
    const composer = agent.getByRole('textbox', { name: '回复客户' });
    await conversation.getByText('回复将以邮件发送至 demo@okpay.local').waitFor();
    await composer.fill('王小明您好，银行的扣款会在 1–3 个工作日内原路退回，请留意银行短信。');
    await composer.press('Enter');
    const reply = await journey.sink.waitFor((mail) => mail.to.includes('demo@okpay.local') && mail.subject.startsWith('Re:'));
    expect(reply.subject).toBe(`Re: 充值失败但银行已扣款 [#${reference}]`);
    expect(reply.parsed.inReplyTo).toBe(first.messageId);
    expect(reply.text).toContain('李客服');
    await conversation.getByText('邮件已发送至 demo@okpay.local').waitFor();
    await screenshot(agent, 'email-03-agent-replied');
    await mailView.setContent(reply.html);
    await screenshot(mailView, 'email-04-reply-as-received');

    // The customer answers from their mail app: same conversation, live in the console.
    await mailApp.sendMail({
      from: '王小明 <demo@okpay.local>',
      to: reply.parsed.replyTo?.text,
      subject: `回复：${reply.subject}`,
      inReplyTo: reply.parsed.messageId,
      references: [...(reply.parsed.references as string[]), reply.parsed.messageId ?? ''],
      text: `好的，谢谢！\n\n王小明 <demo@okpay.local> 于2026年12月7日周一 10:12写道：\n> ${reply.text.split('\n').join('\n> ')}`,
    });
    await conversation.getByText('好的，谢谢！', { exact: true }).waitFor();
    await screenshot(agent, 'email-05-customer-replied-same-conversation');
    mailApp.close();
  });
});
