import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { bindCard, registerCustomer, topUp } from './support/customer.ts';
import { agentOnline as agentOnlineIn, useJourney } from './support/journey.ts';

/**
 * The service centre end to end, in two browsers at once: a customer in the wallet with the chat
 * widget, and an agent in the console (/agent), each in their own browser context.
 */

// The smallest valid PNG (1×1): enough for the server's image-type check.
const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const journey = useJourney();
const { openPage } = journey;
const agentOnline = (name: string) => agentOnlineIn(openPage, name);

/** The widget's panel, inside its shadow root (Playwright's role queries pierce it). */
function chatPanel(page: Page): Locator {
  return page.getByRole('dialog', { name: 'OKPay 客服中心' });
}

/** The conversation's row in the agent's inbox (我的), found by the customer's name. */
function inboxRow(agent: Page, customerName: string): Locator {
  return agent.getByRole('list', { name: '我的' }).getByRole('button', { name: new RegExp(customerName) });
}

async function isInViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
}

describe('the service centre', () => {
  it('brings a failed top-up from the wallet to an agent live, with the real reason highlighted, and the reply back to the widget', async () => {
    const agent = await agentOnline('support-agent');
    await agent.getByText('暂无会话').waitFor();
    await screenshot(agent, 'support-01-agent-online-empty-inbox');

    // A customer whose bank answers "insufficient funds" to every top-up.
    const customer = await openPage('support-customer');
    await registerCustomer(customer, 'he.ping@example.com', '何平');
    await customer.getByRole('button', { name: '在线客服' }).waitFor();
    await bindCard(customer, '4000 0000 0000 9995');
    await topUp(customer, '9995', '100.00');
    await customer.getByRole('alert').filter({ hasText: '银行卡余额不足' }).waitFor();
    await screenshot(customer, 'support-02-customer-top-up-declined');

    // 联系客服处理此充值 opens the real widget: verified, the failed top-up attached, an agent named.
    await customer.getByRole('button', { name: '联系客服处理此充值' }).click();
    const chat = chatPanel(customer);
    await chat.getByText('本次咨询已关联：').waitFor();
    await chat.getByText(/充值 100\.00 CNY 失败/).waitFor();
    await chat.getByText('✓ 已验证身份').waitFor();
    await chat.getByText('客服 李客服 为您服务').waitFor();
    await screenshot(customer, 'support-03-customer-widget-with-top-up');

    // The agent hears of it without reloading: a row in 我的, a notice, and the count on the tab.
    const row = inboxRow(agent, '何平');
    await row.waitFor();
    await agent.getByText('新会话已分配给您：充值').waitFor();
    expect(await agent.getByRole('tab', { name: /我的\s*1/ }).count()).toBe(1);
    await screenshot(agent, 'support-04-agent-new-chat-arrives');

    const message = '你好，我的充值一直失败，卡号 4000 0000 0000 9995';
    const composer = chat.getByRole('textbox', { name: '输入消息' });
    await composer.fill(message);
    await composer.press('Enter');
    // The customer's message bumps the row with an unread count while the agent is elsewhere.
    await row.getByTitle('1 条未读消息').waitFor();
    expect(await agent.title()).toMatch(/^\(1\) /);

    await row.click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByRole('heading', { name: '何平' }).waitFor();
    await conversation.getByText('已验证身份').waitFor();
    // The card number was masked before it was stored, and the agent is told so.
    await conversation.getByText('已自动隐藏 1 个卡号').waitFor();
    expect(await conversation.getByRole('log').textContent()).not.toContain('4000 0000 0000 9995');

    // The customer panel: the linked top-up highlighted and in view, with the code the bank gave.
    const panel = agent.getByRole('complementary', { name: '客户资料' });
    const linked = panel.getByRole('listitem').filter({ hasText: '本次咨询关联' });
    await linked.waitFor();
    expect(await linked.textContent()).toContain('insufficient_funds');
    expect(await linked.textContent()).toContain('客户看到：');
    expect(await linked.textContent()).toContain('银行卡余额不足');
    expect(await isInViewport(linked)).toBe(true);
    await expect.poll(() => agent.title()).not.toMatch(/^\(\d+\) /);
    await screenshot(agent, 'support-05-agent-conversation-with-panel');

    // The reply reaches the widget once, and the customer's reading shows as a receipt.
    const reply = '您好，这笔充值因银行卡余额不足未成功，资金没有被扣除。请换一张卡再试。';
    await agent.getByRole('textbox', { name: '回复客户' }).fill(reply);
    await agent.keyboard.press('Enter');
    await chat.getByText(reply).waitFor();
    await conversation.getByText('✓✓ 已读').waitFor();
    expect(await conversation.getByText(reply).count()).toBe(1);
    await screenshot(customer, 'support-06-customer-sees-reply');
    await screenshot(agent, 'support-07-agent-after-reply');

    // The customer types: the agent sees it.
    await composer.pressSequentially('好的');
    await conversation.getByText('何平 正在输入…').waitFor();

    // A photo from the customer reaches the console by a short-lived signed link.
    await chat.locator('input[type=file]').setInputFiles({ name: 'bank-sms.png', mimeType: 'image/png', buffer: tinyPng });
    const image = conversation.getByRole('img', { name: '图片：bank-sms.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(1);
    expect(await image.getAttribute('src')).toMatch(/^\/api\/support\/attachments\/[\w-]+\?expires=\d+&signature=[\w-]+$/);
    await screenshot(agent, 'support-07b-agent-sees-customer-image');
  });

  it('keeps an internal note from the customer, fills a canned response with their name, and resolves the chat', async () => {
    const agent = await agentOnline('support-note-agent');
    const customer = await openPage('support-note-customer');
    await registerCustomer(customer, 'tang.yue@example.com', '唐悦');

    await customer.getByRole('button', { name: '在线客服' }).click();
    const chat = chatPanel(customer);
    // The hours come from the chat calendar, which these journeys keep open all day.
    expect(await chat.getByTestId('chat-hours').textContent()).toBe('在线客服 今天 00:00–24:00 · 现在在线');
    await chat.getByRole('radio', { name: '账户' }).check();
    await chat.getByLabel('描述您的问题（可选）').fill('我想修改绑定的手机号');
    await chat.getByRole('button', { name: '开始咨询' }).click();
    await chat.getByText('客服 李客服 为您服务').waitFor();

    await inboxRow(agent, '唐悦').click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByText('我想修改绑定的手机号').waitFor();

    // n: an internal note, marked as such, that never reaches the widget.
    await agent.keyboard.press('n');
    const note = '客户要改手机号，需要先核实身份。';
    await agent.getByRole('textbox', { name: '内部备注' }).fill(note);
    await screenshot(agent, 'support-08-agent-writing-internal-note');
    await agent.keyboard.press('Enter');
    const stored = conversation.getByRole('log').locator('.is-internal').filter({ hasText: note });
    await stored.waitFor();
    expect(await stored.textContent()).toContain('仅内部可见');

    // /: canned responses, the customer's and the agent's names filled in by the server.
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('/');
    await agent.keyboard.type('hello');
    const options = agent.getByRole('listbox', { name: '快捷回复' });
    await options.getByRole('option', { name: /问候/ }).waitFor();
    await screenshot(agent, 'support-09-agent-canned-responses');
    await agent.keyboard.press('Enter');
    const replyBox = agent.getByRole('textbox', { name: '回复客户' });
    await expect.poll(() => replyBox.inputValue()).toBe('唐悦，您好！我是 OKPay 客服李客服，很高兴为您服务。请问有什么可以帮您？');
    await agent.keyboard.press('Enter');
    await chat.getByText('唐悦，您好！我是 OKPay 客服李客服').waitFor();
    // The note went before the greeting, so had it leaked the widget would show it by now.
    expect(await chat.getByRole('log').textContent()).not.toContain(note);
    await screenshot(customer, 'support-10-customer-sees-greeting-not-note');

    // e: resolved; the timeline says who did it, the widget says the chat is over.
    const mineCount = async () => Number(await agent.getByRole('tab', { name: /^我的/ }).locator('.inbox-tab-count').textContent());
    const mineBefore = await mineCount();
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('e');
    await conversation.getByText('李客服 将状态从“处理中”改为“已解决”').waitFor();
    await chat.getByText('本次会话已结束。').first().waitFor();
    // Resolved chats leave 我的 (open and waiting-on-customer ones only).
    await inboxRow(agent, '唐悦').waitFor({ state: 'detached' });
    await expect.poll(mineCount).toBe(mineBefore - 1);
    await screenshot(agent, 'support-11-agent-resolved');
    await screenshot(customer, 'support-12-customer-chat-ended');

    // ?: the shortcuts are written down in the console.
    await agent.keyboard.press('?');
    const help = agent.getByRole('dialog', { name: '键盘快捷键' });
    await help.getByText('标记为已解决').waitFor();
    await screenshot(agent, 'support-13-agent-shortcut-help');
  });

  it('gives the customer the top-up reference to quote when the chat script cannot load', async () => {
    const customer = await openPage('support-no-widget');
    const context = customer.context();
    await context.route('**/widget.js', (route) => route.abort());
    // A customer with a declined top-up, set up through the API (cookie and CSRF token as the app would use them).
    const registered = await context.request.post('/api/auth/register', {
      data: { email: 'lu.xin@example.com', password: 'Harbour-Lantern-42', displayName: '陆欣' },
    });
    const { csrfToken } = (await registered.json()) as { csrfToken: string };
    const card = await context.request.post('/api/wallet/cards', {
      data: { number: '4000 0000 0000 9995', expMonth: 12, expYear: 2099, cvc: '123', holderName: 'LU XIN' },
      headers: { 'x-csrf-token': csrfToken },
    });
    const declined = await context.request.post('/api/wallet/top-ups', {
      data: { cardId: ((await card.json()) as { id: string }).id, amount: 20_000, currency: 'CNY' },
      headers: { 'x-csrf-token': csrfToken, 'idempotency-key': crypto.randomUUID() },
    });
    expect(((await declined.json()) as { status: string }).status).toBe('failed');

    await customer.goto('/app/history');
    await customer.getByRole('button', { name: '联系客服处理此充值' }).click();
    const explanation = customer.getByRole('dialog').filter({ hasText: '在线客服窗口暂时无法自动打开' });
    await explanation.waitFor();
    expect(await explanation.textContent()).toMatch(/充值编号：\s*[0-9a-f-]{36}/);
    await screenshot(customer, 'support-14-customer-chat-unavailable');
  });
});
