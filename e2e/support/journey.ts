import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../server/src/test/smtp-sink.ts';
import { launchBrowser, newVisitor, screenshot } from './browser.ts';
import { demoPassword, freePort, type RunningServer, startServer } from './server.ts';

export type Journey = {
  readonly sink: SmtpSink;
  /** The server's inbound SMTP port, for journeys started with `{ inboundSmtp: true }`. */
  readonly inboundSmtpPort: number;
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A fresh browser profile's tab; if the test fails, its last state is saved as a screenshot. */
  openPage(name: string): Promise<Page>;
};

/**
 * What every browser journey file needs: a mail sink on loopback, the built server started against
 * it, and Chromium; all started before the file's tests and stopped after them.
 */
export function useJourney(
  options: { shippedHours?: boolean; inboundSmtp?: boolean; env?: Record<string, string>; browserArgs?: readonly string[] } = {},
): Journey {
  let sink: SmtpSink | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let inboundSmtpPort: number | undefined;
  const contexts: BrowserContext[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet`);
    return value;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    inboundSmtpPort = options.inboundSmtp ? await freePort() : undefined;
    server = await startServer({ smtpUrl: sink.url, shippedHours: options.shippedHours, inboundSmtpPort, env: options.env });
    browser = await launchBrowser(options.browserArgs);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await sink?.close();
  });

  return {
    get sink() {
      return ready(sink, 'the mail sink');
    },
    get inboundSmtpPort() {
      return ready(inboundSmtpPort, 'inbound SMTP');
    },
    get server() {
      return ready(server, 'the server');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    async openPage(name) {
      const running = ready(server, 'the server');
      const context = await newVisitor(ready(browser, 'the browser'), running.url);
      contexts.push(context);
      const page = await context.newPage();
      onTestFailed(async () => {
        await screenshot(page, `${name}-failed`).catch(() => undefined);
        console.error(`server output:\n${running.output()}`);
      });
      return page;
    },
  };
}

/** Fills and sends a sign-in form (customer or staff) on the current page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码', { exact: true }).fill(password);
  // Ant Design keeps its loading icon (named "loading") in the button while the icon's collapse
  // animation runs after a refused attempt; on a busy machine that outlasts the click's wait.
  await page.getByRole('button', { name: /^(loading )?登录$/ }).click();
}

/** The demo agent (李客服), or another staff member, signed in to the console and set to 在线, so new chats are routed to them. */
export async function agentOnline(
  openPage: Journey['openPage'],
  name: string,
  email = 'agent@okpay.local',
  password = demoPassword,
): Promise<Page> {
  const page = await openPage(name);
  await page.goto('/agent');
  await page.waitForURL('**/agent/login?next=%2Fagent');
  await signIn(page, email, password);
  await page.waitForURL((url) => url.pathname === '/agent');
  // The console never loads the customers' chat widget.
  expect(await page.locator('script[src="/widget.js"]').count()).toBe(0);
  const presence = page.getByRole('radiogroup', { name: '接待状态' });
  await presence.getByText('在线', { exact: true }).click();
  await expect.poll(() => presence.getByRole('radio', { name: '在线' }).isChecked()).toBe(true);
  return page;
}
