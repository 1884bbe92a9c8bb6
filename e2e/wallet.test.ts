import { describe, expect, it } from 'vitest';
import { chooseOption, menuEntry } from './support/antd.ts';
import { appRoot, screenshot } from './support/browser.ts';
import { completeCardForm, registerCustomer, topUp } from './support/customer.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

const journey = useJourney();
const { openPage } = journey;

// The smallest valid PNG (1×1): enough for the server's image-type check.
const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('wallet', () => {
  it('shows a declined top-up with the way to support, then tops up, exchanges and lists all three in the history', async () => {
    const page = await openPage('wallet');
    await registerCustomer(page, 'zhou.jie@example.com', '周杰');

    // A card whose bank always answers "insufficient funds"; the number is grouped as it is typed.
    await menuEntry(page, '银行卡').click();
    await page.waitForURL('**/app/cards');
    await page.getByLabel('卡号').pressSequentially('4000000000009995');
    expect(await page.getByLabel('卡号').inputValue()).toBe('4000 0000 0000 9995');
    await completeCardForm(page, '9995');
    await screenshot(page, 'wallet-01-card-bound');

    await topUp(page, '9995', '100.00');
    const declined = page.getByRole('alert').filter({ hasText: '银行卡余额不足' });
    await declined.waitFor();
    expect(await declined.textContent()).toContain('换一张银行卡再试');
    const contactSupport = page.getByRole('button', { name: '联系客服处理此充值' });
    expect(await contactSupport.count()).toBe(1);
    await screenshot(page, 'wallet-02-top-up-declined');

    // The chat widget is on every customer page, so the button opens it (nobody is online here;
    // e2e/support.test.ts follows a linked top-up to an agent).
    await contactSupport.click();
    const chat = page.getByRole('dialog', { name: 'OKPay 客服中心' });
    await chat.waitFor();
    await screenshot(page, 'wallet-03-chat-opened');
    await page.keyboard.press('Escape');
    await chat.waitFor({ state: 'detached' });

    // A good card, picked from the sandbox help panel.
    await menuEntry(page, '银行卡').click();
    await page.getByText('测试卡号（沙箱环境）').click();
    await page.locator('.test-card-list li', { hasText: '4242 4242 4242 4242' }).getByRole('button', { name: '填入' }).click();
    expect(await page.getByLabel('卡号').inputValue()).toBe('4242 4242 4242 4242');
    await completeCardForm(page, '4242');

    await topUp(page, '4242', '100.00');
    await page.getByText('充值成功').waitFor();
    expect(await appRoot(page).getByRole('status').textContent()).toContain('100.00 CNY 已存入您的钱包');
    await screenshot(page, 'wallet-04-top-up-succeeded');

    await menuEntry(page, '换汇').click();
    await page.waitForURL('**/app/exchange');
    await page.getByText('可用余额：100.00 CNY').waitFor();
    await page.getByLabel('卖出金额').fill('50');
    await page.getByRole('button', { name: '获取报价' }).click();
    await page.getByText(/报价将在 \d+ 秒后失效/).waitFor();
    const received = (await page.getByTestId('amount-received').textContent()) ?? '';
    expect(received).toMatch(/^\d+\.\d{2} USD$/);
    expect(await page.getByText('0.50%').count()).toBe(1);
    await screenshot(page, 'wallet-05-quote');
    await page.getByRole('button', { name: '确认兑换' }).click();
    await page.getByText('兑换成功').waitFor();
    expect(await appRoot(page).getByRole('status').textContent()).toContain(`已用 50.00 CNY 兑换 ${received}`);
    await screenshot(page, 'wallet-06-exchanged');

    await menuEntry(page, '交易记录').click();
    await page.waitForURL('**/app/history');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.nth(2).waitFor();
    const texts = await rows.allTextContents();
    expect(texts).toHaveLength(3);
    // Newest first: the exchange, the good top-up, the declined one.
    expect(texts[0]).toMatch(/换汇.*成功.*−50\.00 CNY/);
    expect(texts[1]).toMatch(/充值.*成功.*\+100\.00 CNY.*•••• 4242/);
    expect(texts[2]).toMatch(/充值.*失败.*\+100\.00 CNY.*•••• 9995.*银行卡余额不足/);
    expect(await rows.nth(2).getByRole('button', { name: '联系客服处理此充值' }).count()).toBe(1);
    await screenshot(page, 'wallet-07-history');

    // Filters go into the query string, for the list and the CSV export alike.
    await chooseOption(page, '状态', '失败');
    await page.waitForURL(/status=failed/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toBe(
      '/api/wallet/transactions.csv?status=failed&locale=zh-CN',
    );

    await rows.first().click();
    const drawer = page.getByRole('dialog').filter({ hasText: '交易详情' });
    await drawer.waitFor();
    expect(await drawer.textContent()).toContain('银行卡余额不足');
    await screenshot(page, 'wallet-08-failed-top-up-details');
  });
});

describe('identity verification', () => {
  it('lets a supervisor see and approve the verification a customer submitted from the Security page', async () => {
    const customer = await openPage('verification-customer');
    await registerCustomer(customer, 'gao.lan@example.com', '高兰');
    await menuEntry(customer, '账户安全').click();
    await customer.waitForURL('**/app/security');
    await customer.getByText('您尚未完成身份验证。').waitFor();
    await customer.getByLabel('真实姓名').fill('高兰');
    await customer.getByLabel('证件号码').fill('11010519491231002X');
    await customer.locator('input[type=file]').setInputFiles({ name: 'id-card.png', mimeType: 'image/png', buffer: tinyPng });
    await screenshot(customer, 'verification-01-form');
    await customer.getByRole('button', { name: '提交审核' }).click();
    await customer.getByText('您的身份验证资料正在审核中').waitFor();
    expect(await customer.getByText('****002X').count()).toBe(1);
    await screenshot(customer, 'verification-02-submitted');

    const supervisor = await openPage('verification-supervisor');
    await supervisor.goto('/agent/login');
    await signIn(supervisor, 'supervisor@okpay.local', demoPassword);
    await supervisor.waitForURL((url) => url.pathname === '/agent');
    await menuEntry(supervisor, '身份审核').click();
    const row = supervisor.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'gao.lan@example.com' });
    await row.waitFor();
    expect(await row.textContent()).toContain('待审核');
    await screenshot(supervisor, 'verification-03-queue');

    await row.getByRole('button', { name: '审核' }).click();
    const drawer = supervisor.getByRole('dialog').filter({ hasText: '身份验证详情' });
    // Supervisors see the whole ID number and, on request, the photo.
    await drawer.getByText('11010519491231002X').waitFor();
    await drawer.getByRole('button', { name: '查看证件照片' }).click();
    await drawer.getByRole('img', { name: '高兰 的证件照片' }).waitFor();
    await drawer.getByLabel('备注').fill('证件清晰，信息一致');
    await screenshot(supervisor, 'verification-04-review');
    await drawer.getByRole('button', { name: '通过' }).click();
    await supervisor.getByText('已通过该身份验证').waitFor();
    await supervisor.getByText('暂无待审核的身份验证').waitFor();
    await screenshot(supervisor, 'verification-05-queue-empty');

    await customer.reload();
    await customer.getByText('您的身份已验证。').waitFor();
    await screenshot(customer, 'verification-06-verified');
  });
});
