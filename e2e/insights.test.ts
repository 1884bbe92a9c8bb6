import nodemailer from 'nodemailer';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chooseOption, menuEntry } from './support/antd.ts';
import { screenshot } from './support/browser.ts';
import { registerCustomer } from './support/customer.ts';
import { agentOnline as agentOnlineIn, signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/**
 * The feedback and measurement loop: customers rate a resolved chat in the widget and an email
 * conversation from the survey mail's rating page, and supervisors read it all back in 报表.
 */

const journey = useJourney({ inboundSmtp: true, env: { CSAT_EMAIL_DELAY_MINUTES: '0' } });
const { openPage } = journey;

function chatPanel(page: Page): Locator {
  return page.getByRole('dialog', { name: 'OKPay 客服中心' });
}

function inboxRow(agent: Page, text: string): Locator {
  return agent.getByRole('list', { name: '我的' }).getByRole('button', { name: new RegExp(text) });
}

async function staffSignedIn(name: string, email: string): Promise<Page> {
  const page = await openPage(name);
  await page.goto('/agent');
  await page.waitForURL('**/agent/login?next=%2Fagent');
  await signIn(page, email, demoPassword);
  await page.waitForURL((url) => url.pathname === '/agent');
  return page;
}

describe('ratings', () => {
  it('asks the customer in the widget once the chat is resolved, and shows the agent the low rating for a supervisor to follow up', async () => {
    const agent = await agentOnlineIn(openPage, 'rating-agent');
    const customer = await openPage('rating-customer');
    await registerCustomer(customer, 'fang.yu@example.com', '方雨');
    await customer.getByRole('button', { name: '在线客服' }).click();
    const chat = chatPanel(customer);
    await chat.getByRole('radio', { name: '充值' }).check();
    await chat.getByLabel('描述您的问题（可选）').fill('充值一直显示处理中');
    await chat.getByRole('button', { name: '开始咨询' }).click();
    await chat.getByText('客服 李客服 为您服务').waitFor();

    await inboxRow(agent, '方雨').click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByText('充值一直显示处理中').waitFor();
    await agent.getByRole('textbox', { name: '回复客户' }).fill('已经帮您查到，银行处理中，请稍后再看。');
    await agent.keyboard.press('Enter');
    await chat.getByText('已经帮您查到').waitFor();
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('e');
    await conversation.getByText('李客服 将状态从“处理中”改为“已解决”').waitFor();

    // The widget asks once the chat is over: faces, then the reasons that fit the face, a comment.
    const survey = chat.getByRole('form', { name: '您对本次服务满意吗？' });
    await survey.waitFor();
    await screenshot(customer, 'insights-01-widget-asks-for-rating');
    await survey.getByRole('radio', { name: '不满意', exact: true }).check();
    await survey.getByRole('checkbox', { name: '回复慢' }).check();
    expect(await survey.getByRole('checkbox', { name: '态度好' }).count()).toBe(0);
    await survey.getByLabel('还有什么想告诉我们的？（可选）').fill('等了好久才有人回复');
    await screenshot(customer, 'insights-02-widget-rating-filled');
    await survey.getByRole('button', { name: '提交评价' }).click();
    await chat.getByText('感谢您的评价！').waitFor();
    await chat.getByText('您的评价：不满意 · 回复慢').waitFor();
    await screenshot(customer, 'insights-03-widget-rating-thanks');

    // The agent sees it on the conversation at once, flagged for a supervisor.
    const summary = conversation.getByTestId('rating-summary');
    await summary.getByText('低分待跟进').waitFor();
    expect(await summary.textContent()).toContain('2/5 · 不满意');
    expect(await summary.textContent()).toContain('等了好久才有人回复');
    await conversation.getByText('方雨 评价了本次服务：2 分').waitFor();
    await screenshot(agent, 'insights-04-agent-sees-low-rating');
  });

  it('lets an email customer rate from the survey mail: the link only preselects, the page records on submit', async () => {
    const agent = await agentOnlineIn(openPage, 'rating-email-agent');
    const mailApp = nodemailer.createTransport({ host: '127.0.0.1', port: journey.inboundSmtpPort, secure: false, ignoreTLS: true });
    await mailApp.sendMail({
      from: '孙悦 <sun.yue@example.com>',
      to: 'support@okpay.local',
      subject: '提现到账时间',
      text: '请问提现一般多久到账？',
    });
    await inboxRow(agent, '提现到账时间').click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByText('请问提现一般多久到账？').waitFor();
    await agent.getByRole('textbox', { name: '回复客户' }).fill('一般 1–2 个工作日到账。');
    await agent.keyboard.press('Enter');
    await conversation.getByText('一般 1–2 个工作日到账。').waitFor();
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('e');

    const mail = await journey.sink.waitFor((received) => received.to.includes('sun.yue@example.com') && received.subject.includes('满意'));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/rate\?token=[\w-]+&score=4&lang=zh-CN)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    await conversation.getByText('已邀请评价，客户尚未回复').waitFor();

    const page = await openPage('rating-email-page');
    await page.goto(link ?? '');
    await page.getByText('打开链接不会提交评价').waitFor();
    // The face from the link is chosen, nothing else: the customer still has to submit.
    expect(await page.getByRole('radio', { name: '满意', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: '非常满意', exact: true }).isChecked()).toBe(false);
    await screenshot(page, 'insights-05-rating-page-preselected');
    // Opening the page recorded nothing.
    expect(await conversation.getByTestId('rating-summary').textContent()).toContain('已邀请评价，客户尚未回复');

    await page.getByRole('checkbox', { name: '讲得清楚' }).check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价！').waitFor();
    await page.getByText('您的评价：满意 · 讲得清楚').waitFor();
    await screenshot(page, 'insights-06-rating-page-thanks');
    await conversation.getByTestId('rating-summary').getByText('4/5 · 满意').waitFor();
    mailApp.close();
  });
});

/** Monday after today, in Beijing time, as YYYY-MM-DD. */
function nextMonday(): string {
  const beijing = new Date(Date.now() + 8 * 3_600_000);
  const daysAhead = (8 - beijing.getUTCDay()) % 7 || 7;
  return new Date(beijing.getTime() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

describe('reports', () => {
  it('answers a supervisor: how fast email was answered in business hours, what customers thought and why, and the agents next Monday needs', async () => {
    const page = await staffSignedIn('reports-supervisor', 'supervisor@okpay.local');
    await menuEntry(page, '报表').click();
    await page.waitForURL('**/agent/reports');
    const figure = (name: string) =>
      page
        .locator('.ant-statistic')
        .filter({ has: page.getByText(name, { exact: true }) })
        .locator('.ant-statistic-content');

    // Volume: the chat and the email conversation of this journey, both resolved.
    await expect.poll(() => figure('新会话').textContent()).toBe('2');
    expect(await figure('已解决').textContent()).toBe('2');
    await page.getByRole('img', { name: '新会话到达时段（每周小时）' }).waitFor();
    await screenshot(page, 'insights-07-reports-volume');

    // How fast did we answer email, by business hours? Filter to email; the drill-down shows the conversation behind it.
    await page.getByRole('tab', { name: '响应时间' }).click();
    await chooseOption(page, '渠道', '邮件');
    const businessMedian = figure('首次响应中位数（工作时间）');
    await expect.poll(() => businessMedian.textContent()).not.toBe('—');
    await page.getByRole('img', { name: '首次响应时间趋势' }).waitFor();
    await screenshot(page, 'insights-08-reports-email-response-times');
    const channels = page.getByRole('table', { name: '按渠道' });
    await channels.getByRole('row', { name: /邮件/ }).getByRole('button').first().click();
    const drawer = page.getByRole('dialog', { name: /邮件 · 首次响应中位数/ });
    await drawer.getByText('共 1 条，显示最近 1 条').waitFor();
    expect(await drawer.getByRole('link', { name: '查看会话' }).count()).toBe(1);
    await screenshot(page, 'insights-09-reports-drill-down');
    await page.keyboard.press('Escape');
    // Back to every channel: the filters stay as they are from tab to tab.
    const channelFilter = page.locator('.ant-select').filter({ has: page.getByLabel('渠道', { exact: true }) });
    await channelFilter.hover();
    await channelFilter.locator('.ant-select-clear').click();
    await page.getByText('全部渠道').waitFor();

    // What did customers think this week, and why? 2 and 4: average 3, half satisfied, one low rating to follow up.
    await page.getByRole('tab', { name: '满意度' }).click();
    await expect.poll(() => figure('平均分').textContent()).toBe('3');
    expect(await figure('评价数').textContent()).toBe('2');
    expect(await figure('满意率（4–5 分）').textContent()).toBe('50.0%');
    const reasons = page.getByRole('table', { name: '评价原因' });
    await reasons.getByRole('row', { name: /回复慢\s*1/ }).waitFor();
    await reasons.getByRole('row', { name: /讲得清楚\s*1/ }).waitFor();
    const followUps = page.locator('.ant-card').filter({ hasText: '待跟进的低分评价（1）' });
    await followUps.getByText('等了好久才有人回复').waitFor();
    await screenshot(page, 'insights-10-reports-csat');
    await followUps.getByRole('button', { name: '标记已跟进' }).click();
    await page.getByText('待跟进的低分评价（0）').waitFor();

    // CSV of every table, safe for Excel.
    const csv = await page.context().request.get((await page.getByRole('link', { name: '导出 CSV' }).first().getAttribute('href')) ?? '');
    expect(csv.headers()['content-type']).toContain('text/csv');

    // How many agents do we need next Monday? Forecast from what this young service has seen so far.
    await page.getByRole('tab', { name: '排班' }).click();
    const date = page.getByPlaceholder('请选择日期');
    await date.click();
    await date.fill(nextMonday());
    await date.press('Enter');
    const table = page.getByRole('table', { name: '每半小时排班建议' });
    await table.getByRole('row').nth(1).waitFor();
    // The one half hour in which this journey's chat arrived: one chat forecast, one agent needed.
    const busy = table
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: '1', exact: true }) })
      .first();
    await busy.waitFor();
    const cells = await busy.getByRole('cell').allTextContents();
    expect(cells[1]).toBe('1');
    expect(cells[3]).toBe('1');
    await page.getByText(/高峰时段/).waitFor();
    await screenshot(page, 'insights-11-reports-staffing');
  });
});
