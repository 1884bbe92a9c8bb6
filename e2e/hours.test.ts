import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { registerCustomer } from './support/customer.ts';
import { adminApi } from './support/hours.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/** Business hours as customers and admins meet them, on the shipped calendars plus days set by hand. */
const journey = useJourney({ shippedHours: true });
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

/** A customer in China: Beijing time and Chinese, on a fresh profile (nothing cached). */
async function customerPage(): Promise<Page> {
  const context = await journey.browser.newContext({
    baseURL: journey.server.url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 860 },
  });
  return context.newPage();
}

describe('business hours', () => {
  it('shows every channel’s hours from the calendars, and outside chat hours the widget says when a reply comes', async () => {
    const admin = await adminApi(journey.server.url);
    await admin.put(`/api/agent/hours/calendars/chat/days/${today()}`, { periods: [], note: '系统维护' });
    await admin.put(`/api/agent/hours/calendars/phone/days/${today()}`, { periods: [], note: '线路检修' });

    const page = await customerPage();
    await page.goto('/');
    // The published numbers, dialable, with the phone line's state from its calendar.
    const numbers = page.getByTestId('support-numbers');
    await expect.poll(() => numbers.textContent()).toContain('现在是非工作时间，明天 09:00 起接听');
    expect(await numbers.textContent()).toContain('客服热线（中国大陆） 400-000-0000');
    expect(await numbers.getByRole('link', { name: '+86 21 0000 0000' }).getAttribute('href')).toBe('tel:+862100000000');
    const chat = page.getByTestId('support-hours').locator('li[data-channel="chat"]');
    await expect.poll(() => chat.textContent()).toContain('今天休息（系统维护）');
    expect(await chat.textContent()).toContain('现在是非工作时间，预计 明天 09:00 回复');
    expect(await page.getByTestId('support-hours').locator('li[data-channel="phone"]').textContent()).toContain(
      '电话客服每天 09:00–21:00，节假日照常（中国标准时间）',
    );
    expect(await page.getByTestId('support-hours').locator('li[data-channel="email"]').textContent()).toContain(
      '周一至周五 09:00–18:00，法定节假日休息，调休上班日照常',
    );
    await screenshot(page, 'hours-home-after-hours');

    await page.getByRole('button', { name: '在线客服' }).click();
    await page.getByRole('heading', { name: '现在是非工作时间' }).waitFor();
    expect(await page.getByTestId('after-hours').textContent()).toBe('现在是非工作时间，预计 明天 09:00 回复');
    await page.getByLabel('您的邮箱').waitFor();
    expect(await page.getByTestId('phone-line').textContent()).toBe(
      '电话客服 客服热线（中国大陆） 400-000-0000 · 海外客户 +86 21 0000 0000现在是非工作时间，明天 09:00 起接听',
    );
    await admin.delete(`/api/agent/hours/calendars/phone/days/${today()}`);
    await screenshot(page, 'hours-widget-after-hours');
  });

  it('follows a change at once: chat open all day today says so on the home page and in the widget', async () => {
    const admin = await adminApi(journey.server.url);
    await admin.put(`/api/agent/hours/calendars/chat/days/${today()}`, { periods: [{ start: '00:00', end: '24:00' }], note: '全天值班' });
    const page = await customerPage();
    await page.goto('/');
    const chat = page.getByTestId('support-hours').locator('li[data-channel="chat"]');
    await expect.poll(() => chat.textContent()).toContain('现在在线');
    expect(await chat.textContent()).toContain('今天 00:00–24:00');
    // Nobody is signed in to the console: within hours the widget says no agent is online and shows the hours.
    await page.getByRole('button', { name: '在线客服' }).click();
    await page.getByRole('heading', { name: '客服暂时不在线' }).waitFor();
    await page.getByText('在线客服：每天 09:00–21:00，节假日照常（中国标准时间）').waitFor();
  });

  it('lets the admin see and edit calendars in the console, warned when next year has no holiday data', async () => {
    const admin = await adminApi(journey.server.url);
    const settings = (await admin.get('/api/agent/hours')) as { holidayData: { missingYear: number | null } };
    const page = await journey.openPage('hours-console');
    await page.goto('/agent/hours');
    await page.waitForURL('**/agent/login**');
    await signIn(page, 'admin@okpay.local', demoPassword);
    await page.waitForURL((url) => url.pathname === '/agent/hours');
    await page.getByRole('heading', { name: '营业时间', level: 2 }).waitFor();
    const warning = page.getByTestId('holiday-data-warning');
    if (settings.holidayData.missingYear === null) expect(await warning.count()).toBe(0);
    else expect(await warning.textContent()).toContain(`${settings.holidayData.missingYear} 年的法定节假日数据尚未发布`);

    await page.getByRole('tab', { name: /chat/ }).click();
    const panel = page.getByRole('tabpanel', { name: /chat/ });
    await panel.getByRole('cell', { name: '全天值班', exact: true }).waitFor();
    expect(await panel.getByTestId('preview-chat').textContent()).toContain('现在营业');
    await screenshot(page, 'hours-console');
  });

  it('lets a signed-in customer book a callback from the widget at a time the phone line is open', async () => {
    const page = await customerPage();
    await registerCustomer(page, `callback.${Date.now()}@example.com`, '回电客户');
    await page.getByRole('button', { name: '在线客服' }).click();
    const panel = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await panel.getByTestId('request-callback').click();
    const form = panel.getByTestId('callback-form');
    await form.getByLabel('您的电话号码（带国家区号）').fill('+86 1380013800');
    await expect.poll(() => form.getByLabel('回电时间').locator('option').count()).toBeGreaterThan(0);
    await form.getByRole('button', { name: '预约回电' }).click();
    // A mainland mobile with a digit missing is refused with the rule.
    await form.getByText('中国大陆手机号应为 11 位，以 13–19 开头，例如 +8613800138000').waitFor();
    await form.getByLabel('您的电话号码（带国家区号）').fill('+8613800138000');
    await form.getByRole('button', { name: '预约回电' }).click();
    const reply = panel.getByTestId('callback-reply');
    await reply.waitFor();
    expect(await reply.textContent()).toMatch(/^已预约回电：客服将在 .+ 致电 \+86 138\*\*\*\*8000，请留意接听。$/);
    await screenshot(page, 'hours-widget-callback-booked');
  });
});
