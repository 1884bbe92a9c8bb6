import { describe, expect, it } from 'vitest';
import { menuEntry } from './support/antd.ts';
import { appRoot, screenshot } from './support/browser.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

const journey = useJourney();
const { openPage } = journey;

describe('forgotten password', () => {
  it('lets a customer reset a forgotten password from the emailed link and sign in with the new one', async () => {
    const page = await openPage('password-reset');
    const email = 'lin.mei@example.com';
    const name = '林美';
    const oldPassword = 'Harbour-Lantern-42';
    const newPassword = 'Quiet-Maple-Tide-7';

    await page.goto('/register');
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill(oldPassword);
    await page.getByLabel('昵称').fill(name);
    await screenshot(page, 'password-reset-01-register');
    await page.getByRole('button', { name: '注册', exact: true }).click();

    await page.waitForURL('**/app');
    await page.getByRole('heading', { name: `${name}，您好` }).waitFor();
    await screenshot(page, 'password-reset-02-signed-in');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: '忘记密码?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByLabel('邮箱').fill(email);
    await page.getByRole('button', { name: '发送重设链接' }).click();
    const sent = appRoot(page).getByRole('status');
    await sent.waitFor();
    expect(await sent.textContent()).toContain('垃圾邮件');
    await screenshot(page, 'password-reset-03-link-sent');

    const mail = await journey.sink.waitFor((received) => received.to.includes(email) && received.subject === 'OKPay 密码重设');
    expect(mail.text).toContain('请检查垃圾邮件文件夹');
    const link = mail.text.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)?.[0];
    expect(link, `no reset link in:\n${mail.text}`).toBeDefined();
    expect(link?.startsWith(`${journey.server.url}/`)).toBe(true);

    await page.goto(link ?? '');
    await page.getByLabel('新密码', { exact: true }).fill(newPassword);
    await page.getByLabel('确认新密码').fill(newPassword);
    await screenshot(page, 'password-reset-04-new-password');
    await page.getByRole('button', { name: '重设密码' }).click();
    const done = appRoot(page).getByRole('status');
    await done.waitFor();
    expect(await done.textContent()).toContain('请用新密码登录');
    await screenshot(page, 'password-reset-05-reset-done');
    await journey.sink.waitFor((received) => received.to.includes(email) && received.subject === 'OKPay 密码已重设');

    await page.getByRole('link', { name: '去登录' }).click();
    await page.waitForURL('**/login');
    await signIn(page, email, oldPassword);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('邮箱或密码不正确');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'password-reset-06-old-password-refused');

    await signIn(page, email, newPassword);
    await page.waitForURL('**/app');
    await page.getByRole('heading', { name: `${name}，您好` }).waitFor();
    await screenshot(page, 'password-reset-07-signed-in-with-new-password');

    // Signed in, the public pages offer the wallet instead of sign-in and register.
    await page.goto('/');
    await page.getByText(`${name}，欢迎回来`).waitFor();
    expect(await page.getByRole('link', { name: '我的钱包', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: '注册', exact: true }).count()).toBe(0);
    await screenshot(page, 'password-reset-08-home-signed-in');
    await page.goto('/login');
    await page.waitForURL('**/app');
  });
});

describe('service centre console', () => {
  it('signs an agent in and shows the console with an empty inbox', async () => {
    const page = await openPage('agent-console');
    await page.goto('/agent');
    await page.waitForURL('**/agent/login?next=%2Fagent');
    await screenshot(page, 'agent-01-login');

    await signIn(page, 'agent@okpay.local', demoPassword);
    await page.waitForURL((url) => url.pathname === '/agent');
    await page.getByText('暂无会话').waitFor();
    const header = page.locator('header');
    expect(await header.getByText('李客服', { exact: true }).count()).toBe(1);
    expect(await header.getByText('客服', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '会话' }).count()).toBe(1);
    // Agents are not supervisors: no 主管视图 in their menu.
    expect(await page.getByRole('menuitem', { name: '主管视图' }).count()).toBe(0);
    await screenshot(page, 'agent-02-console');

    // Every staff member can see where they are signed in.
    await menuEntry(page, '登录设备').click();
    await page.waitForURL('**/agent/devices');
    await page.getByText('当前设备').waitFor();
    await screenshot(page, 'agent-03-devices');
  });
});

describe('language', () => {
  it('switches the sign-in page to English and remembers the choice', async () => {
    const page = await openPage('language');
    await page.goto('/login');
    await page.getByRole('heading', { name: '登录 OKPay' }).waitFor();

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to OKPay' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Forgot password?' }).count()).toBe(1);

    // The server answers in the page's language too (Accept-Language).
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('Wrong-Password-123');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('The email or password is incorrect');
    await screenshot(page, 'language-01-english-login');

    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to OKPay' }).waitFor();
  });
});
