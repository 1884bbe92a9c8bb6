import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { agentOnline, useJourney } from './support/journey.ts';

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
    await agentOnline(openPage, 'help-agent');
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
  });
});
