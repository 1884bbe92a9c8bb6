import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { agentOnline, signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/**
 * The help centre as a customer meets it: the /help pages on a phone, and the chat widget that
 * suggests an article while the first message is typed, shows it inside the widget, and still
 * starts the chat in one click.
 */

const journey = useJourney();
const { openPage } = journey;

describe('the help centre', () => {
  it('finds the answer to a colloquial question on a phone and links the articles with plain paths', async () => {
    const page = await openPage('help-phone');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/help');
    await expect.poll(() => page.title()).toBe('OKPay 帮助中心');
    expect(await page.locator('a[href="/help/forgot-password"]').count()).toBe(1);
    await page.getByRole('searchbox').fill('钱充不进去');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL('**/help/search?q=*');
    const first = page.locator('.results li').first();
    await expect.poll(() => first.getByRole('heading').textContent()).toBe('充值失败怎么办？');
    await first.getByRole('link').click();
    await page.waitForURL('**/help/top-up-failed');
    await expect.poll(() => page.title()).toBe('充值失败怎么办？ - OKPay 帮助中心');
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('My top-up failed');
    await screenshot(page, 'help-article-phone');
  });

  it('suggests "充值失败" in the widget, opens the article inside it, then starts the chat in one click', async () => {
    const agent = await agentOnline(openPage, 'help-agent');
    const page = await openPage('help-widget');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/help?lang=zh-CN');
    await page.getByRole('button', { name: '在线客服' }).click();
    const panel = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await panel.getByLabel('描述您的问题（可选）').fill('充值失败');
    const suggestion = panel.getByRole('button', { name: /充值失败怎么办？/ });
    await suggestion.waitFor();
    await screenshot(page, 'help-widget-suggestions');
    await suggestion.click();
    await expect.poll(() => panel.getByRole('heading', { name: '充值失败怎么办？' }).isVisible()).toBe(true);
    expect(await panel.getByRole('table').count()).toBe(1);
    await screenshot(page, 'help-widget-article');
    await panel.getByRole('button', { name: '联系客服' }).click();
    // The chat began with the typed message, in the topic of the article that was read.
    await expect.poll(() => panel.getByText('充值失败', { exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(() => panel.getByRole('textbox').count()).toBeGreaterThan(0);
    await screenshot(page, 'help-widget-chat-started');

    // The agent answers with a link from the help centre, found by searching in the console.
    await agent.setViewportSize({ width: 1400, height: 1000 });
    await agent.getByRole('list', { name: '我的' }).getByRole('button').first().click();
    await agent.getByRole('button', { name: '帮助文章' }).click();
    await agent.getByPlaceholder('搜索文章，例如：充值失败').fill('充值失败');
    await agent.getByRole('button', { name: '插入链接: 充值失败怎么办？' }).click();
    const reply = agent.getByRole('textbox', { name: '回复客户' });
    await expect.poll(() => reply.inputValue()).toMatch(/^充值失败怎么办？ http:\/\/127\.0\.0\.1:\d+\/help\/top-up-failed\?lang=zh-CN$/);
    await reply.press('Enter');
    await expect.poll(() => panel.getByText(/\/help\/top-up-failed\?lang=zh-CN/).count()).toBeGreaterThan(0);
    await screenshot(agent, 'help-console-link-sent');

    // A good answer becomes a draft article for the editors.
    await agent.getByRole('button', { name: '存为帮助文章草稿' }).last().click();
    await agent.waitForURL(/\/agent\/help\/[0-9a-f-]{36}\?locale=zh-CN$/);
    await expect.poll(() => agent.getByRole('textbox', { name: '正文（Markdown）' }).inputValue()).toContain('/help/top-up-failed');
  });

  it('lets an editor change an article and another publish it, and customers read the new text', async () => {
    const editor = await openPage('help-editor');
    await editor.setViewportSize({ width: 1400, height: 1000 });
    await editor.goto('/agent/login');
    await signIn(editor, 'editor@okpay.local', demoPassword);
    await editor.waitForURL('**/agent/help');
    await editor.getByRole('link', { name: '客服电话是多少？几点上班？' }).click();
    const body = editor.getByRole('textbox', { name: '正文（Markdown）' });
    await body.fill(`${await body.inputValue()}\n\n节假日也可以拨打热线，值守时间同上。`);
    await expect.poll(() => editor.locator('.help-preview-body').textContent()).toContain('节假日也可以拨打热线');
    await editor.getByRole('button', { name: '保存草稿' }).click();
    await editor.getByRole('button', { name: '提交审核' }).click();
    await editor.getByText('您是这个版本的作者，需要另一位编辑审核发布。').waitFor();
    await screenshot(editor, 'help-editor');

    const admin = await openPage('help-admin');
    await admin.goto('/agent/login');
    await signIn(admin, 'admin@okpay.local', demoPassword);
    await admin.waitForURL((url) => url.pathname === '/agent');
    await admin.goto('/agent/help');
    await admin.getByRole('link', { name: '客服电话是多少？几点上班？' }).click();
    await admin.getByRole('button', { name: '审核通过并发布' }).click();
    await admin.getByText('已发布，搜索中立即可见').waitFor();

    const customer = await openPage('help-reader');
    await customer.goto('/help/phone-support?lang=zh-CN');
    await expect.poll(() => customer.getByText('节假日也可以拨打热线，值守时间同上。').count()).toBe(1);
  });
});
