import { describe, expect, it } from 'vitest';
import { agentOnline, useJourney } from './support/journey.ts';

/**
 * An agent who answers and resolves at once (Enter, then e). The reply goes over the socket and may
 * wait for its batch; resolving goes by HTTP. A long batch window here, so a reply written right
 * after a note waits long enough for a resolve sent at once to overtake it, if the console let it.
 */
const journey = useJourney({ env: { MESSAGE_BATCH_INTERVAL_MS: '200' } });

describe('an agent who answers and resolves at once', () => {
  it('has the reply stored before the conversation is resolved, so its first reply is met, not cancelled', async () => {
    const left = await fetch(`${journey.server.url}/api/support/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: JSON.stringify({ email: 'order.journey@example.com', message: '我的提现还没到账，请帮忙看看', category: 'transactions' }),
    });
    expect(left.status).toBe(201);
    const { conversationId } = (await left.json()) as { conversationId: string };

    const agent = await agentOnline(journey.openPage, 'reply-then-resolve');
    await agent.goto('/agent?view=all');
    await agent.locator(`[data-conversation-id="${conversationId}"]`).click();
    const header = agent.locator('.conversation-header');
    const firstReply = header.locator('.sla-countdown[data-target="first_reply"]');
    await firstReply.waitFor();

    // A note first: its batch opens the window, so the reply after it waits for the next batch.
    await agent.keyboard.press('n');
    await agent.getByRole('textbox', { name: '内部备注' }).fill('先查一下这笔提现的状态。');
    await agent.keyboard.press('Enter');
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('r');
    await agent.getByRole('textbox', { name: '回复客户' }).fill('您好，提现已到账，请查收。');
    await agent.keyboard.press('Enter');
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('e');

    await header.getByText('已解决', { exact: true }).waitFor();
    await expect.poll(() => firstReply.textContent()).toBe('首次回复 已达成');
  });
});
