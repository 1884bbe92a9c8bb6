import type { Page } from 'playwright-core';
import { chooseOption, menuEntry } from './antd.ts';

/** Registers through the sign-up page and lands on the signed-in home page. */
export async function registerCustomer(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('Harbour-Lantern-42');
  await page.getByLabel('昵称').fill(name);
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await page.waitForURL('**/app');
  await page.getByRole('heading', { name: `${name}，您好` }).waitFor();
}

/** Fills the bind form's other fields (the number is already in) and binds the card. */
export async function completeCardForm(page: Page, last4: string): Promise<void> {
  await chooseOption(page, '有效期（月）', '01');
  await chooseOption(page, '有效期（年）', String(new Date().getFullYear() + 2));
  await page.getByLabel('安全码（CVC）').fill('123');
  await page.getByLabel('持卡人姓名').fill('LIN MEI');
  await page.getByRole('button', { name: '绑定银行卡' }).click();
  await page.getByText(`尾号 ${last4} 的银行卡已绑定`).waitFor();
  await page.getByRole('list', { name: '已绑定的银行卡' }).getByText(`•••• ${last4}`).waitFor();
}

/** Binds a sandbox card from the Cards page. */
export async function bindCard(page: Page, number: string): Promise<void> {
  await menuEntry(page, '银行卡').click();
  await page.waitForURL('**/app/cards');
  await page.getByLabel('卡号').pressSequentially(number.replaceAll(' ', ''));
  await completeCardForm(page, number.slice(-4));
}

export async function topUp(page: Page, last4: string, amount: string): Promise<void> {
  await menuEntry(page, '充值').click();
  await page.waitForURL('**/app/top-up');
  await chooseOption(page, '付款银行卡', last4);
  await page.getByLabel('金额').fill(amount);
  await page.getByRole('button', { name: '确认充值' }).click();
}
