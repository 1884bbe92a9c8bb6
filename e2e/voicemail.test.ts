import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { registerCustomer } from './support/customer.ts';
import { adminApi } from './support/hours.ts';
import { signIn, useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

/**
 * A voicemail end to end: a customer records one in the widget with Chromium's fake microphone
 * (the permission prompt answered yes by --use-fake-ui-for-media-stream) and sends it; an agent
 * finds the phone conversation in the console and plays the recording. Then the refusals, for
 * real: a browser that answers the permission prompt no, and one with no microphone at all.
 */
const journey = useJourney();
const fakeMicrophone = ['--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
const browsers: Browser[] = [];
const contexts: BrowserContext[] = [];
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

async function pageIn(args: string[], name: string): Promise<Page> {
  const browser = await launchBrowser(args);
  browsers.push(browser);
  const context = await browser.newContext({
    baseURL: journey.server.url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 860 },
  });
  contexts.push(context);
  const page = await context.newPage();
  onTestFailed(async () => {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
  });
  return page;
}

/** The widget's panel, inside its shadow root (Playwright's role queries pierce it). */
const chatPanel = (page: Page): Locator => page.getByRole('dialog', { name: 'OKPay 客服中心' });

beforeAll(async () => {
  // The phone line is closed today, so the widget offers the voicemail first.
  await (await adminApi(journey.server.url)).put(`/api/agent/hours/calendars/phone/days/${today()}`, { periods: [], note: '线路检修' });
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  for (const browser of browsers) await browser.close().catch(() => undefined);
});

describe('a voicemail from the widget', () => {
  it('is recorded in the browser, sent, and played by an agent in the console; it is in the customer’s history', async () => {
    const customer = await pageIn(['--use-fake-ui-for-media-stream', ...fakeMicrophone], 'voicemail-customer');
    await registerCustomer(customer, `voicemail.${Date.now()}@example.com`, '吴留言');
    await customer.getByRole('button', { name: '在线客服' }).click();
    const panel = chatPanel(customer);
    await panel.getByText('电话客服现在休息，您可以先留下语音留言。').waitFor();
    await panel.getByTestId('leave-voicemail').click();
    const screen = panel.getByTestId('voicemail');
    await screen.getByText('录下您想说的话（最长 2 分钟），客服会在服务时间内处理并与您联系。').waitFor();
    await screen.getByLabel('咨询类型').selectOption('top_up');

    // A first take of a second or so, thrown away, then the one that is sent. (A take stopped at
    // once may hold no audio at all; the widget then says it was too short.)
    await screen.getByRole('button', { name: '开始录音' }).click();
    await screen.getByTestId('voicemail-timer').waitFor();
    await expect.poll(() => screen.getByRole('timer').textContent()).not.toBe('0:00');
    await screen.getByRole('button', { name: '停止录音' }).click();
    await screen.getByTestId('voicemail-preview').waitFor();
    await screen.getByRole('button', { name: '重新录制' }).click();
    await screen.getByTestId('voicemail-timer').waitFor();
    await expect.poll(() => screen.getByRole('timer').textContent(), { timeout: 10_000 }).toBe('0:02');
    expect(await screen.getByTestId('voicemail-timer').textContent()).toContain('/ 2:00');
    await screenshot(customer, 'voicemail-01-recording');
    await screen.getByRole('button', { name: '停止录音' }).click();
    await screen.getByTestId('voicemail-preview').waitFor();
    await screenshot(customer, 'voicemail-02-recorded');

    const uploaded = customer.waitForResponse((response) => response.url().endsWith('/api/support/voicemails'));
    await screen.getByRole('button', { name: '发送留言' }).click();
    const answer = await uploaded;
    expect(answer.status()).toBe(201);
    const receipt = (await answer.json()) as { conversationId: string; durationSeconds: number };
    expect(receipt.durationSeconds).toBeGreaterThan(1.5);
    const reply = panel.getByTestId('voicemail-reply');
    await reply.waitFor();
    expect(await reply.textContent()).toMatch(/^您的语音留言（0:0[234]）已收到，客服会在服务时间内尽快处理。$/);
    await screenshot(customer, 'voicemail-03-sent');

    // The agent finds the phone conversation waiting and plays the recording.
    const agent = await pageIn(fakeMicrophone, 'voicemail-agent');
    await agent.goto('/agent');
    await agent.waitForURL('**/agent/login?next=%2Fagent');
    await signIn(agent, 'agent@okpay.local', demoPassword);
    await agent.waitForURL((url) => url.pathname === '/agent');
    await agent.getByRole('tab', { name: /待分配/ }).click();
    await agent.locator(`[data-conversation-id="${receipt.conversationId}"]`).click();
    const conversation = agent.getByRole('main', { name: '当前会话' });
    await conversation.getByRole('heading', { name: '吴留言' }).waitFor();
    const log = conversation.getByTestId('call-log');
    await log.getByText('网页语音留言').waitFor();
    await log.getByText('语音留言', { exact: true }).waitFor();
    const audio = log.locator('audio');
    await expect.poll(() => audio.evaluate((element) => (element as HTMLAudioElement).readyState)).toBeGreaterThanOrEqual(1);
    // The stored WebM says how long it is: a finite duration, not the endless stream of a raw recording.
    const duration = await audio.evaluate((element) => (element as HTMLAudioElement).duration);
    expect(Number.isFinite(duration)).toBe(true);
    expect(duration).toBeCloseTo(receipt.durationSeconds, 1);
    await audio.evaluate((element) => (element as HTMLAudioElement).play());
    await expect.poll(() => audio.evaluate((element) => (element as HTMLAudioElement).currentTime)).toBeGreaterThan(0.2);
    await screenshot(agent, 'voicemail-04-agent-plays-recording');

    // The customer's support history has it with the voicemail's length.
    await customer.goto('/app/support');
    await customer.getByRole('link', { name: '「充值」咨询' }).click();
    const calls = customer.getByTestId('support-calls');
    await calls.waitFor();
    expect(await calls.textContent()).toMatch(/来电 · 您的语音留言（0:0[234]）已收到，客服会尽快处理。/);
    await screenshot(customer, 'voicemail-05-customer-history');
  });

  it('says so plainly, and sends nothing, when the microphone is refused or missing', async () => {
    // No fake-UI flag: headless Chromium answers the permission prompt no.
    const refused = await pageIn(fakeMicrophone, 'voicemail-refused');
    await refused.goto('/');
    await refused.getByRole('button', { name: '在线客服' }).click();
    let uploads = 0;
    refused.on('request', (request) => {
      if (request.url().endsWith('/api/support/voicemails')) uploads++;
    });
    await chatPanel(refused).getByTestId('leave-voicemail').click();
    const screen = chatPanel(refused).getByTestId('voicemail');
    await screen.getByRole('button', { name: '开始录音' }).click();
    const problem = screen.getByTestId('voicemail-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toBe(
      '您没有允许使用麦克风，所以没有录音。请在浏览器的网站设置中允许麦克风后重试，或改用文字留言。',
    );
    expect(await screen.getByRole('button', { name: '重试' }).count()).toBe(1);
    expect(await screen.getByRole('button', { name: '发送留言' }).count()).toBe(0);
    await screenshot(refused, 'voicemail-06-permission-refused');

    // Permission granted, but this machine has no microphone at all (no fake device).
    const missing = await pageIn(['--use-fake-ui-for-media-stream'], 'voicemail-no-microphone');
    await missing.goto('/');
    missing.on('request', (request) => {
      if (request.url().endsWith('/api/support/voicemails')) uploads++;
    });
    await missing.getByRole('button', { name: '在线客服' }).click();
    await chatPanel(missing).getByTestId('leave-voicemail').click();
    await chatPanel(missing).getByRole('button', { name: '开始录音' }).click();
    const none = chatPanel(missing).getByTestId('voicemail-problem');
    await none.waitFor();
    expect(await none.textContent()).toBe('没有找到可用的麦克风，所以没有录音。请连接麦克风后重试，或改用文字留言。');
    expect(uploads).toBe(0);
  });
});
