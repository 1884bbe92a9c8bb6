import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chooseOption } from './support/antd.ts';
import { mediaArgs, screenshot } from './support/browser.ts';
import { registerCustomer } from './support/customer.ts';
import { adminApi } from './support/hours.ts';
import { agentOnline, useJourney } from './support/journey.ts';

/**
 * An in-app voice call end to end, with real WebRTC audio between headless Chromium pages (a fake
 * microphone playing a tone, media on loopback): a customer calls from the widget, the demo agent
 * answers in the console, both hear each other, the agent holds, transfers to a colleague who
 * answers and hears the caller, and the call ends completed in the console's call log.
 */

const journey = useJourney({ browserArgs: mediaArgs });
const { openPage } = journey;

const allDay = [{ start: '00:00', end: '24:00' }];
const colleague = { email: 'zhou.voice@okpay.local', name: '周客服', password: 'Voice-Colleague-2026' };

/** Keeps every RTCPeerConnection a page makes, so the test can read its statistics. */
async function watchPeers(page: Page): Promise<void> {
  await page.context().grantPermissions(['microphone']);
  await page.addInitScript(() => {
    const peers: RTCPeerConnection[] = [];
    (window as unknown as { __peers: RTCPeerConnection[] }).__peers = peers;
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        peers.push(this);
      }
    };
  });
}

type AudioIn = { bytes: number; packets: number; energy: number; open: number; sending: boolean[] };

/** What the page's live connections have received (inbound-rtp audio), and whether its microphone tracks are on. */
function audioIn(page: Page): Promise<AudioIn> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers.filter((peer) => peer.connectionState !== 'closed');
    const total: AudioIn = { bytes: 0, packets: 0, energy: 0, open: peers.length, sending: [] };
    for (const peer of peers) {
      for (const sender of peer.getSenders()) if (sender.track) total.sending.push(sender.track.enabled);
      (await peer.getStats()).forEach((report: Record<string, unknown>) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        total.bytes += Number(report.bytesReceived ?? 0);
        total.packets += Number(report.packetsReceived ?? 0);
        total.energy += Number(report.totalAudioEnergy ?? 0);
      });
    }
    return total;
  });
}

/** Audio keeps arriving on the page: inbound packets and bytes rise over a second and a half. */
async function expectAudioFlowing(page: Page, label: string): Promise<AudioIn> {
  await expect.poll(async () => (await audioIn(page)).packets, { timeout: 20_000, message: `${label}: first audio` }).toBeGreaterThan(20);
  const before = await audioIn(page);
  await page.waitForTimeout(1_500);
  const after = await audioIn(page);
  expect(after.packets, `${label}: packets`).toBeGreaterThan(before.packets + 20);
  expect(after.bytes, `${label}: bytes`).toBeGreaterThan(before.bytes);
  return after;
}

function widget(page: Page): Locator {
  return page.getByRole('dialog', { name: 'OKPay 客服中心' });
}

describe('in-app voice calls', () => {
  it('connects a customer in the widget to an agent with audio both ways, through hold and a transfer, to a completed call in the log', async () => {
    const admin = await adminApi(journey.server.url);
    await admin.put('/api/agent/hours/calendars/phone', {
      timeZone: 'Asia/Shanghai',
      weekly: [allDay, allDay, allDay, allDay, allDay, allDay, allDay],
      followsChinaHolidays: false,
    });
    await journey.server.operator('create-agent', '--email', colleague.email, '--name', colleague.name, '--password', colleague.password);

    const agentPage = await openPage('voice-agent');
    await watchPeers(agentPage);
    const agent = await agentOnline(async () => agentPage, 'voice-agent');

    const customer = await openPage('voice-customer');
    await watchPeers(customer);
    await registerCustomer(customer, 'lu.voice@example.com', '陆语');
    await customer.getByRole('button', { name: '在线客服' }).click();
    const chat = widget(customer);
    await chat.getByText('您想咨询什么？').waitFor();
    // The buttons stay at the foot of the panel, in sight, while articles for the topic arrive above them.
    const callButton = chat.getByRole('button', { name: '打电话' });
    const callButtonAt = await callButton.boundingBox();
    await chat.getByText('账户与登录').click();
    await chat.getByRole('region', { name: '这些文章也许能直接解答您的问题：' }).waitFor();
    expect(await callButton.boundingBox()).toEqual(callButtonAt);
    const panel = await chat.boundingBox();
    expect(callButtonAt && panel && callButtonAt.y + callButtonAt.height <= panel.y + panel.height).toBe(true);
    await screenshot(customer, 'voice-01-widget-call-button');
    await callButton.click();

    // The agent's console rings with the caller's name; answering opens the conversation with the wallet panel.
    const banner = agent.getByRole('alertdialog', { name: '来电提醒' });
    await banner.getByText('陆语 来电').waitFor();
    await screenshot(agent, 'voice-02-agent-incoming-call');
    await banner.getByRole('button', { name: '接听' }).click();
    const bar = agent.getByRole('region', { name: '当前通话' });
    await bar.getByText('通话中：陆语').waitFor();
    await agent.getByRole('main', { name: '当前会话' }).getByRole('heading', { name: '陆语' }).waitFor();
    await agent.getByRole('complementary', { name: '客户资料' }).waitFor();
    await chat.getByText('通话中：李客服').waitFor({ timeout: 20_000 });

    // Audio both ways.
    await expectAudioFlowing(customer, 'customer hears the agent');
    await expectAudioFlowing(agent, 'agent hears the customer');
    await bar.getByText(/通话时长 \d\d:\d\d/).waitFor();
    await screenshot(agent, 'voice-03-agent-in-call');
    await screenshot(customer, 'voice-04-customer-in-call');

    // Hold: both sides stop sending, the customer is told; resume: audio again.
    await bar.getByRole('button', { name: '保持' }).click();
    await chat.getByText('客服已将通话保持，请稍候').waitFor();
    await expect.poll(async () => (await audioIn(agent)).sending).toEqual([false]);
    await expect.poll(async () => (await audioIn(customer)).sending).toEqual([false]);
    await bar.getByText('保持中').waitFor();
    await bar.getByRole('button', { name: '恢复通话' }).click();
    await expect.poll(async () => (await audioIn(customer)).sending).toEqual([true]);
    await expect.poll(async () => (await audioIn(agent)).sending).toEqual([true]);

    // Mute shows on the other side.
    await chat.getByRole('button', { name: '静音' }).click();
    await bar.getByText('客户已静音').waitFor();
    await chat.getByRole('button', { name: '取消静音' }).click();
    await expect.poll(() => bar.getByText('客户已静音').count()).toBe(0);

    // Transfer to a colleague, who answers and talks with the caller.
    const secondPage = await openPage('voice-colleague');
    await watchPeers(secondPage);
    const second = await agentOnline(async () => secondPage, 'voice-colleague', colleague.email, colleague.password);
    await bar.getByRole('button', { name: '转接' }).click();
    const dialog = agent.getByRole('dialog', { name: '转接通话' });
    await chooseOption(agent, '选择在线的同事', colleague.name);
    await dialog.getByRole('button', { name: '转接给 TA' }).click();
    await chat.getByText('正在为您转接，请稍候').waitFor();
    await expect.poll(() => bar.count()).toBe(0);
    const secondBanner = second.getByRole('alertdialog', { name: '来电提醒' });
    await secondBanner.getByText('陆语 来电').waitFor();
    await secondBanner.getByRole('button', { name: '接听' }).click();
    const secondBar = second.getByRole('region', { name: '当前通话' });
    await secondBar.getByText('通话中：陆语').waitFor();
    await chat.getByText(`通话中：${colleague.name}`).waitFor({ timeout: 20_000 });
    await expectAudioFlowing(second, 'the colleague hears the customer');
    await expectAudioFlowing(customer, 'the customer hears the colleague');
    expect((await audioIn(agent)).open).toBe(0);
    await screenshot(second, 'voice-05-colleague-in-call');

    // The colleague hangs up: completed, and the call log in the console says how it went.
    await secondBar.getByRole('button', { name: '挂断' }).click();
    await chat.getByText('通话已结束').waitFor();
    await second.getByText('通话已结束：已完成').waitFor();
    const log = second.getByTestId('call-log');
    await log.getByText('应用内来电').waitFor();
    await expect.poll(() => log.textContent()).toMatch(/已完成/);
    const text = (await log.textContent()) ?? '';
    for (const step of ['接听（李客服）', '保持', '恢复通话', '转接', `接听（${colleague.name}）`, '挂断', '客服挂断'])
      expect(text).toContain(step);
    expect((await audioIn(customer)).open).toBe(0);
    expect((await audioIn(second)).open).toBe(0);
    await screenshot(second, 'voice-06-colleague-call-log');
    await screenshot(customer, 'voice-07-customer-call-ended');
  });
});
