import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { menuEntry } from './support/antd.ts';
import { screenshot } from './support/browser.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/** Exchange rates in the staff console: a small change applies, a big one waits for a second admin. */

const journey = useJourney();

async function adminConsole(name: string, email: string, password: string): Promise<Page> {
  const page = await journey.openPage(name);
  await page.goto('/agent/login');
  await signIn(page, email, password);
  await page.waitForURL((url) => url.pathname === '/agent');
  await menuEntry(page, '汇率').click();
  await page.waitForURL('**/agent/fx-rates');
  return page;
}

function rateRow(page: Page, currency: string) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: currency, exact: true }) });
}

async function changeRate(page: Page, currency: string, rate: string, note?: string) {
  await page.getByRole('button', { name: `修改 ${currency} 汇率` }).click();
  const dialog = page.getByRole('dialog', { name: `修改 ${currency} 汇率` });
  await dialog.getByLabel(`新汇率（1 美元兑多少 ${currency}）`).fill(rate);
  if (note) await dialog.getByLabel('修改原因').fill(note);
  return dialog;
}

describe('exchange rates in the console', () => {
  it('applies a small change at once and holds a typo of 0.0000000001 for a second admin, who rejects it', async () => {
    const secondAdmin = { email: 'treasury@okpay.local', password: 'Second-Admin-Pass-42' };
    await journey.server.operator(
      'create-agent',
      '--email',
      secondAdmin.email,
      '--name',
      '周财务',
      '--password',
      secondAdmin.password,
      '--role',
      'admin',
    );

    const maker = await adminConsole('fx-maker', 'admin@okpay.local', demoPassword);
    await rateRow(maker, 'CNY').getByText('7.1', { exact: true }).waitFor();
    await maker.getByText('单人修改幅度不超过当前汇率的 ±10% 时立即生效').waitFor();

    const small = await changeRate(maker, 'CNY', '7.25');
    await small.getByText('变动 +2.11%，在 ±10% 以内，保存后立即生效。').waitFor();
    await small.getByRole('button', { name: '保存' }).click();
    await maker.getByText('CNY 汇率已更新').waitFor();
    await rateRow(maker, 'CNY').getByText('7.25', { exact: true }).waitFor();

    const typo = await changeRate(maker, 'CNY', '0.0000000001', '按新报价调整');
    await typo.getByText(/超出 ±10%，保存后需另一位管理员批准才生效/).waitFor();
    await screenshot(maker, 'fx-01-admin-enters-a-typo');
    await typo.getByRole('button', { name: '保存' }).click();
    await maker.getByText('已提交，等待另一位管理员批准').waitFor();
    const pending = maker.getByRole('listitem').filter({ hasText: '7.25 → 0.0000000001' });
    await pending.getByText('这是您提出的变更，须由另一位管理员批准。').waitFor();
    expect(await pending.getByRole('button', { name: '批准' }).count()).toBe(0);
    await rateRow(maker, 'CNY').getByText('7.25', { exact: true }).waitFor();
    await screenshot(maker, 'fx-02-maker-waits-for-a-second-admin');

    const checker = await adminConsole('fx-checker', secondAdmin.email, secondAdmin.password);
    const waiting = checker.getByRole('listitem').filter({ hasText: '7.25 → 0.0000000001' });
    await waiting.getByText('-99.99%').waitFor();
    await waiting.getByText('“按新报价调整”').waitFor();
    await screenshot(checker, 'fx-03-checker-sees-the-change');
    await waiting.getByRole('button', { name: '拒绝' }).click();
    const reason = checker.getByRole('dialog', { name: '拒绝这项汇率变更' });
    await reason.getByLabel('拒绝原因').fill('小数点位置错误');
    await reason.getByRole('button', { name: '拒绝' }).click();
    await checker.getByText('已拒绝该汇率变更').waitFor();
    await checker.getByText('暂无待批准的汇率变更').waitFor();
    await checker.getByText('已拒绝', { exact: true }).click();
    await checker.getByRole('listitem').filter({ hasText: '小数点位置错误' }).waitFor();
    await rateRow(checker, 'CNY').getByText('7.25', { exact: true }).waitFor();
    await screenshot(checker, 'fx-04-checker-rejected-it');
  });
});
