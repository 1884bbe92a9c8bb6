import { describe, expect, it } from 'vitest';
import { chooseOption } from './support/antd.ts';
import { screenshot } from './support/browser.ts';
import { adminApi } from './support/hours.ts';
import { agentOnline, signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/** SLA policies and clocks as agents, supervisors and admins meet them in the console. */
const journey = useJourney();

const shippedEmail = {
  channel: 'email',
  firstReply: { minutes: 48 * 60, clock: 'wall', calendar: null },
  nextReply: { minutes: 48 * 60, clock: 'wall', calendar: null },
  resolution: { minutes: 27 * 60, clock: 'business', calendar: 'default' },
};

describe('SLA clocks in the console', () => {
  it('counts a conversation’s first reply down live in the inbox and the conversation, and supervisors see it at risk', async () => {
    const admin = await adminApi(journey.server.url);
    // A tight first-reply target, so the countdown visibly ticks by the second.
    await admin.put('/api/agent/sla/policies/email', { ...shippedEmail, firstReply: { minutes: 30, clock: 'wall', calendar: null } });
    const left = await fetch(`${journey.server.url}/api/support/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: JSON.stringify({ email: 'sla.journey@example.com', message: '提现一直显示处理中，麻烦看一下', category: 'transactions' }),
    });
    expect(left.status).toBe(201);
    const { conversationId, message } = (await left.json()) as { conversationId: string; message: string };
    expect(message).toMatch(/预计在 .+前回复/);

    const page = await agentOnline(journey.openPage, 'sla-inbox');
    await page.goto(`/agent?view=all&sort=due`);
    const item = page.locator(`[data-conversation-id="${conversationId}"]`);
    const countdown = item.locator('.sla-countdown[data-target="first_reply"]');
    await expect.poll(() => countdown.count(), { timeout: 15_000 }).toBe(1);
    const first = await countdown.textContent();
    expect(first).toMatch(/^首次回复 剩 (29|30):\d\d$/);
    // It ticks without a reload.
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    await screenshot(page, 'sla-inbox-countdown');

    await item.click();
    const header = page.locator('.conversation-header');
    await header.locator('.sla-countdown[data-target="first_reply"]').waitFor();
    expect(await header.locator('.sla-countdown[data-target="resolution"]').textContent()).toMatch(/^解决 剩/);
    await screenshot(page, 'sla-conversation-clocks');

    // The agent answers: the first-reply clock stops as met, live.
    await page.getByRole('textbox', { name: '回复客户' }).fill('您好，我们正在核查这笔提现。');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => header.locator('.sla-countdown[data-target="first_reply"]').textContent(), { timeout: 10_000 })
      .toBe('首次回复 已达成');
    await admin.delete('/api/agent/sla/policies/email');
  });

  it('lets the admin read and change SLA policies on the page beside business hours', async () => {
    const page = await journey.openPage('sla-policies');
    await page.goto('/agent/sla');
    await page.waitForURL('**/agent/login**');
    await signIn(page, 'admin@okpay.local', demoPassword);
    await page.waitForURL((url) => url.pathname === '/agent/sla');
    await page.getByRole('heading', { name: 'SLA 策略', level: 2 }).waitFor();
    const chat = page.getByRole('row', { name: /chat/ }).first();
    expect(await chat.textContent()).toContain('2 分钟（chat 工作时间）');
    expect(await page.getByRole('row', { name: /email/ }).first().textContent()).toContain('48 小时（自然时间）');

    await page.getByRole('button', { name: '新建策略' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('chat-urgent');
    await chooseOption(page, '优先级', '紧急');
    await dialog.getByTestId('sla-target-first_reply').getByText('设定时限').click();
    await dialog.getByTestId('sla-target-first_reply').getByLabel('时长').fill('1');
    await chooseOption(page, '单位', '分钟');
    await screenshot(page, 'sla-policy-dialog');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('row', { name: /chat-urgent/ }).waitFor();
    expect(await page.getByRole('row', { name: /chat-urgent/ }).textContent()).toContain('1 分钟（chat 工作时间）');
    await screenshot(page, 'sla-policies');

    await page.goto('/agent/supervisor');
    await page.getByTestId('sla-at-risk').waitFor();
    expect(await page.getByTestId('sla-at-risk').textContent()).toContain('当前有风险的会话');
    await screenshot(page, 'sla-supervisor');
  });
});
