import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createChatCustomer, listen, nextEvent, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { declinedTopUp } from '../../test/wallet.js';
import { markIdleAgentsAway } from '../routing/presence.js';

const clock = fixedClock(new Date());
let runtime: Runtime;
let baseUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
  baseUrl = await listen(runtime);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await runtime?.close();
});

async function chatCustomer(name: string) {
  const customer = await createChatCustomer(runtime, name);
  const socket = await connect(baseUrl, customer.token);
  sockets.push(socket);
  return { ...customer, socket };
}

type Inbox = {
  conversations: Array<{ id: string; unread: number; customer: { name: string }; assigneeId: string | null; isVerified: boolean }>;
  counts: Record<string, number>;
};

describe('the agent console API', () => {
  it('lists mine and unassigned with unread counts, and finds conversations by email, phone or text', async () => {
    const agent = await signedInStaff(runtime, 'agent', { displayName: '收件箱客服' });
    await agent.client.put('/api/agent/presence', { status: 'online' });
    const customer = await chatCustomer('搜索测试顾客');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', { category: 'exchange' });
    for (const body of ['汇率是多少？', '我想换美元']) {
      await request(customer.socket, 'message:send', { conversationId: started.conversation.id, body, clientMessageId: clientMessageId() });
    }
    const mineResponse = await agent.client.get('/api/agent/conversations?view=mine');
    if (mineResponse.status !== 200) throw new Error(JSON.stringify(mineResponse.body));
    const mine = mineResponse.body as Inbox;
    const entry = mine.conversations.find((item) => item.id === started.conversation.id);
    expect(entry).toMatchObject({ unread: 2, customer: { name: '搜索测试顾客' }, isVerified: true });
    expect(mine.counts.mineUnread).toBeGreaterThanOrEqual(2);

    await agent.client.post(`/api/agent/conversations/${started.conversation.id}/read`, { seq: 2 });
    const afterRead = (await agent.client.get('/api/agent/conversations?view=mine')).body as Inbox;
    expect(afterRead.conversations.find((item) => item.id === started.conversation.id)?.unread).toBe(0);

    for (const query of [customer.email.slice(0, 12), encodeURIComponent('换美元')]) {
      const found = (await agent.client.get(`/api/agent/conversations?view=all&q=${query}`)).body as Inbox;
      expect(
        found.conversations.map((item) => item.id),
        query,
      ).toContain(started.conversation.id);
    }
    const none = (await agent.client.get(`/api/agent/conversations?view=all&q=${encodeURIComponent('不存在的内容')}`)).body as Inbox;
    expect(none.conversations).toEqual([]);
    const filtered = (await agent.client.get('/api/agent/conversations?view=all&category=freeze')).body as Inbox;
    expect(filtered.conversations.map((item) => item.id)).not.toContain(started.conversation.id);
  });

  it("shows the customer's wallet with the real failure code, highlights the linked top-up, and audits the view", async () => {
    const agent = await signedInStaff(runtime, 'agent');
    const customer = await chatCustomer('充值失败的顾客');
    const topUpId = await declinedTopUp(customer.client);
    const topUp = await customer.client.get(`/api/wallet/top-ups/${topUpId}`);
    expect(topUp.body).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', {
      category: 'top_up',
      links: [{ type: 'top_up', id: topUpId }],
    });

    const panel = await agent.client.get(
      `/api/agent/customers/${customer.id}/panel?conversationId=${started.conversation.id}&highlightType=top_up&highlightId=${topUpId}`,
    );
    expect(panel.status).toBe(200);
    const wallet = (panel.body as { wallet: { cards: Array<Record<string, unknown>>; transactions: Array<Record<string, unknown>> } })
      .wallet;
    expect(wallet.cards[0]).toMatchObject({ last4: '9987' });
    expect(JSON.stringify(wallet.cards)).not.toContain('400000');
    expect(wallet.transactions[0]).toMatchObject({
      topUpId,
      status: 'failed',
      failureCode: 'lost_card',
      failureCodePublic: 'card_declined',
    });
    expect(panel.body).toMatchObject({ highlight: { type: 'top_up', id: topUpId } });

    const audit = await runtime.deps.pool.query(
      "SELECT actor_id, target_id, details FROM audit_events WHERE action = 'customer.financial_data_viewed' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.rows[0]).toMatchObject({
      actor_id: agent.id,
      target_id: customer.id,
      details: { conversationId: started.conversation.id },
    });

    const wrongConversation = await agent.client.get(`/api/agent/customers/${agent.id}/panel?conversationId=${started.conversation.id}`);
    expect(wrongConversation.status).toBe(404);
  });

  it('lets agents take unassigned chats but only supervisors reassign', async () => {
    const agent = await signedInStaff(runtime, 'agent');
    const other = await signedInStaff(runtime, 'agent');
    const supervisor = await signedInStaff(runtime, 'supervisor');
    await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
    const customer = await chatCustomer('排队顾客');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', { category: 'other' });
    const unassigned = (await agent.client.get('/api/agent/conversations?view=unassigned')).body as Inbox;
    expect(unassigned.conversations.map((item) => item.id)).toContain(started.conversation.id);

    expect((await agent.client.post(`/api/agent/conversations/${started.conversation.id}/assign`, { agentId: agent.id })).status).toBe(200);
    const steal = await other.client.post(`/api/agent/conversations/${started.conversation.id}/assign`, { agentId: other.id });
    expect(steal.status).toBe(403);
    const moved = await supervisor.client.post(`/api/agent/conversations/${started.conversation.id}/assign`, { agentId: other.id });
    expect(moved.body).toMatchObject({ assigneeId: other.id });
    const detail = await other.client.get(`/api/agent/conversations/${started.conversation.id}`);
    const types = (detail.body as { events: Array<{ type: string }> }).events.map((event) => event.type);
    expect(types).toEqual(['created', 'assigned', 'assigned']);
  });

  it('changes status and category on the timeline and keeps internal notes out of the customer view', async () => {
    const agent = await signedInStaff(runtime, 'agent', { displayName: '小周' });
    const customer = await chatCustomer('备注顾客');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', {
      category: 'other',
      message: '你好',
    });
    const id = started.conversation.id;
    await agent.client.post(`/api/agent/conversations/${id}/messages`, { body: '客户说话很着急', isInternal: true });
    await agent.client.post(`/api/agent/conversations/${id}/messages`, { body: '您好，请问有什么可以帮您？' });
    const patched = await agent.client.patch(`/api/agent/conversations/${id}`, {
      category: 'account',
      priority: 'high',
      status: 'pending',
      tags: ['vip'],
    });
    expect(patched.body).toMatchObject({ category: 'account', priority: 'high', status: 'pending', tags: ['vip'] });
    const customerView = await request<{ messages: Array<{ body: string; isInternal: boolean }> }>(customer.socket, 'conversation:resume', {
      conversationId: id,
      afterSeq: 0,
    });
    expect(customerView.messages.map((message) => message.body)).toEqual(['你好', '您好，请问有什么可以帮您？']);
    const agentView = (await agent.client.get(`/api/agent/conversations/${id}`)).body as {
      messages: unknown[];
      events: Array<{ type: string }>;
    };
    expect(agentView.messages).toHaveLength(3);
    expect(agentView.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['status_changed', 'category_changed', 'priority_changed', 'tags_changed']),
    );
    // A customer reply brings a pending conversation back to open.
    await request(customer.socket, 'message:send', { conversationId: id, body: '还在吗', clientMessageId: clientMessageId() });
    const reopened = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { conversation: { status: string } };
    expect(reopened.conversation.status).toBe('open');
  });

  it('gives the conversation with the customer name and read position, and announces links added later', async () => {
    const agent = await signedInStaff(runtime, 'agent', { displayName: '链接客服' });
    const customer = await chatCustomer('链接顾客');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', {
      category: 'other',
      message: '在吗',
    });
    const id = started.conversation.id;
    await request(customer.socket, 'read', { conversationId: id, seq: 1 });
    const detail = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { conversation: Record<string, unknown> };
    expect(detail.conversation).toMatchObject({ customerName: '链接顾客', customerEmail: customer.email, customerReadSeq: 1 });

    const staffSocket = await connect(baseUrl, (await agent.client.post('/api/agent/realtime-token')).body.token as string);
    sockets.push(staffSocket);
    await request(staffSocket, 'conversation:open', { conversationId: id, afterSeq: 0 });
    await customer.client.post('/api/wallet/cards', {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: 2035,
      cvc: '123',
      holderName: 'LINK',
    });
    const cards = (await customer.client.get('/api/wallet/cards')).body as { cards: Array<{ id: string }> };
    const announced = nextEvent<{ change: string }>(staffSocket, 'conversation:updated', (event) => event.change === 'linked');
    const again = await request<{ conversation: { id: string; links: unknown[] } }>(customer.socket, 'conversation:start', {
      category: 'card_binding',
      links: [{ type: 'card', id: cards.cards[0]?.id }],
    });
    expect(again.conversation.id).toBe(id);
    expect(again.conversation.links).toEqual([{ type: 'card', id: cards.cards[0]?.id }]);
    expect((await announced).change).toBe('linked');
  });

  it('fills canned responses with the customer and agent names', async () => {
    const agent = await signedInStaff(runtime, 'agent', { displayName: '小林' });
    const customer = await chatCustomer('陈先生');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', { category: 'other' });
    const canned = await agent.client.get(`/api/agent/canned-responses?conversationId=${started.conversation.id}&q=hello`);
    const responses = (canned.body as { responses: Array<{ locale: string; body: string }> }).responses;
    expect(responses.find((response) => response.locale === 'zh-CN')?.body).toContain('陈先生，您好！我是 OKPay 客服小林');
    const create = await agent.client.post('/api/agent/canned-responses', { shortcut: 'x', title: 'x', body: 'x', locale: 'en' });
    expect(create.status).toBe(403);
  });

  it('gives supervisors the live queue and agent load, and nobody else', async () => {
    const supervisor = await signedInStaff(runtime, 'supervisor');
    const agent = await signedInStaff(runtime, 'agent');
    const overview = await supervisor.client.get('/api/agent/supervisor/overview');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ queue: expect.any(Array), agents: expect.any(Array), typicalHandleSeconds: expect.any(Number) });
    expect((await agent.client.get('/api/agent/supervisor/overview')).status).toBe(403);
  });

  it('answers in camelCase only: no column names in the console, the timeline or the supervisor view', async () => {
    const supervisor = await signedInStaff(runtime, 'supervisor', { displayName: '驼峰主管' });
    await supervisor.client.put('/api/agent/presence', { status: 'online' });
    const customer = await chatCustomer('驼峰顾客');
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', {
      category: 'other',
      message: '你好',
    });
    const id = started.conversation.id;
    await supervisor.client.post(`/api/agent/conversations/${id}/messages`, { body: '您好' });
    const answers = {
      inbox: await supervisor.client.get('/api/agent/conversations?view=all'),
      detail: await supervisor.client.get(`/api/agent/conversations/${id}`),
      agents: await supervisor.client.get('/api/agent/agents'),
      overview: await supervisor.client.get('/api/agent/supervisor/overview'),
      canned: await supervisor.client.get(`/api/agent/canned-responses?conversationId=${id}`),
      panel: await supervisor.client.get(`/api/agent/customers/${customer.id}/panel?conversationId=${id}`),
    };
    const keysOf = (value: unknown, path: string): string[] =>
      Array.isArray(value)
        ? value.flatMap((item, index) => keysOf(item, `${path}[${index}]`))
        : value && typeof value === 'object'
          ? Object.entries(value).flatMap(([key, item]) => [
              `${path}.${key}`,
              // Free-form maps (a timeline entry's data, masking counts by kind) hold values, not fields.
              ...(key === 'data' || key === 'redactions' ? [] : keysOf(item, `${path}.${key}`)),
            ])
          : [];
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBe(200);
      expect(keysOf(answer.body, name).filter((key) => /_[a-z]/.test(key.split('.').pop() ?? ''))).toEqual([]);
    }
    const detail = answers.detail.body as { events: Array<Record<string, unknown>> };
    expect(detail.events[0]).toEqual({
      type: 'created',
      actorType: 'customer',
      actorId: customer.id,
      data: { category: 'other', channel: 'chat' },
      createdAt: expect.any(String),
    });
    const agents = (answers.agents.body as { agents: Array<Record<string, unknown>> }).agents;
    expect(agents.find((agent) => agent.name === '驼峰主管')).toMatchObject({ status: 'online', lastActiveAt: expect.any(String) });
  });

  it('sends a password-reset email from the console and audits who did it', async () => {
    const agent = await signedInStaff(runtime, 'agent');
    const customer = await chatCustomer('忘记密码');
    const sent = await agent.client.post(`/api/agent/customers/${customer.id}/password-reset`);
    expect(sent.status).toBe(202);
    const audit = await runtime.deps.pool.query(
      "SELECT actor_type, actor_id FROM audit_events WHERE action = 'customer.password_reset_requested' AND target_id = $1",
      [customer.id],
    );
    expect(audit.rows).toEqual([{ actor_type: 'staff', actor_id: agent.id }]);
  });

  it('turns idle agents away and brings them back on activity', async () => {
    const agent = await signedInStaff(runtime, 'agent');
    await agent.client.put('/api/agent/presence', { status: 'online' });
    clock.advance(6 * 60_000);
    const away = await markIdleAgentsAway(runtime.deps, runtime.deps.config.support);
    expect(away).toContain(agent.id);
    const socket = await connect(baseUrl, (await agent.client.post('/api/agent/realtime-token')).body.token as string);
    sockets.push(socket);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const presence = await runtime.deps.pool.query('SELECT status FROM agent_presence WHERE staff_id = $1', [agent.id]);
    expect(presence.rows[0]?.status).toBe('online');
  });
});

describe('support for customers when nobody is online', () => {
  it('says so honestly and takes a message that becomes an email conversation, acknowledged and answered by mail', async () => {
    await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
    const status = await runtime.app.inject('/api/support/status');
    expect(status.json()).toMatchObject({
      isAvailable: false,
      agentsOnline: 0,
      email: { address: 'support@okpay.local', replyWithinHours: 48, complexCaseBusinessDays: { from: 1, to: 3 } },
    });
    const left = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/offline-messages',
      payload: { email: 'visitor@example.com', name: 'Visitor', message: '我的账户被冻结了', category: 'freeze' },
    });
    expect(left.statusCode).toBe(201);
    const { conversationId, reference, message } = left.json() as { conversationId: string; reference: string; message: string };
    expect(message).toContain(`#${reference}`);
    expect(message).toContain('48 小时');
    const agent = await signedInStaff(runtime, 'agent', { displayName: '晚班客服' });
    const unassigned = (await agent.client.get('/api/agent/conversations?view=unassigned')).body as Inbox;
    expect(unassigned.conversations.find((item) => item.id === conversationId)).toMatchObject({ channel: 'email', isOfflineMessage: true });
    await agent.client.post(`/api/agent/conversations/${conversationId}/messages`, { body: '您好，请在账户安全页面提交身份验证。' });
    const mailTo = async (subjectStart: string) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const rows = await runtime.deps.pool.query<{ subject: string; text: string }>(
          "SELECT subject, text FROM dev_mailbox WHERE recipient = 'visitor@example.com' AND subject LIKE $1 || '%'",
          [subjectStart],
        );
        if (rows.rows[0]) return rows.rows[0];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    };
    expect((await mailTo(`[#${reference}]`))?.text).toContain('48 小时');
    const reply = await mailTo('Re:');
    expect(reply?.subject).toBe(`Re: 我的账户被冻结了 [#${reference}]`);
    expect(reply?.text).toContain('请在账户安全页面提交身份验证');
  });

  it('refuses bad offline messages', async () => {
    for (const payload of [
      { email: 'not-an-email', message: 'x' },
      { email: 'a@b.cn', message: '' },
      { email: 'a@b.cn', message: 'x', extra: 1 },
    ]) {
      const response = await runtime.app.inject({ method: 'POST', url: '/api/support/offline-messages', payload });
      expect(response.statusCode).toBe(400);
    }
  });
});

describe('attachments and transcripts', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

  function multipart(bytes: Buffer, fileName: string) {
    const boundary = '----okpay-test-boundary';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
  }

  it('stores an image, serves it to its owner only, and refuses other file types', async () => {
    const owner = await chatCustomer('发图顾客');
    const stranger = await createChatCustomer(runtime, '路人');
    const started = await request<{ conversation: { id: string } }>(owner.socket, 'conversation:start', { category: 'other' });
    const upload = (bytes: Buffer, name: string) => {
      const body = multipart(bytes, name);
      return runtime.app.inject({
        method: 'POST',
        url: `/api/support/conversations/${started.conversation.id}/attachments`,
        headers: { 'x-chat-token': owner.token, 'content-type': body.contentType },
        payload: body.payload,
      });
    };
    const stored = await upload(png, 'screenshot.png');
    expect(stored.statusCode).toBe(201);
    const attachment = stored.json() as { id: string; mimeType: string };
    expect(attachment.mimeType).toBe('image/png');
    const sent = await request<{ message: { attachment: { id: string } } }>(owner.socket, 'message:send', {
      conversationId: started.conversation.id,
      body: '',
      attachmentId: attachment.id,
      clientMessageId: clientMessageId(),
    });
    expect(sent.message.attachment.id).toBe(attachment.id);
    const link = await runtime.app.inject({
      url: `/api/support/attachments/${attachment.id}/link`,
      headers: { 'x-chat-token': owner.token },
    });
    const { url } = link.json() as { url: string };
    const fetched = await runtime.app.inject(url);
    expect(fetched.headers['content-type']).toBe('image/png');
    expect(fetched.rawPayload.equals(png)).toBe(true);
    const denied = await runtime.app.inject({
      url: `/api/support/attachments/${attachment.id}/link`,
      headers: { 'x-chat-token': stranger.token },
    });
    expect(denied.statusCode).toBe(404);
    const html = await upload(Buffer.from('<script>alert(1)</script>'), 'evil.png');
    expect(html.statusCode).toBe(415);
    const huge = await upload(Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024)]), 'huge.png');
    expect(huge.statusCode).toBe(413);
  });

  it('serves images by short-lived signed links only: no token in a URL, no altered or expired link', async () => {
    const owner = await chatCustomer('看图顾客');
    const agent = await signedInStaff(runtime, 'agent', { displayName: '看图客服' });
    const started = await request<{ conversation: { id: string } }>(owner.socket, 'conversation:start', { category: 'other' });
    const body = multipart(png, 'receipt.png');
    const stored = await runtime.app.inject({
      method: 'POST',
      url: `/api/support/conversations/${started.conversation.id}/attachments`,
      headers: { 'x-chat-token': owner.token, 'content-type': body.contentType },
      payload: body.payload,
    });
    const { id } = stored.json() as { id: string };
    const other = (
      await runtime.app.inject({
        method: 'POST',
        url: `/api/support/conversations/${started.conversation.id}/attachments`,
        headers: { 'x-chat-token': owner.token, 'content-type': body.contentType },
        payload: body.payload,
      })
    ).json() as { id: string };

    const staffLink = await agent.client.get(`/api/support/attachments/${id}/link`);
    expect(staffLink.status).toBe(200);
    const { url, expiresAt } = staffLink.body as { url: string; expiresAt: string };
    expect(url).toMatch(new RegExp(`^/api/support/attachments/${id}\\?expires=\\d+&signature=[\\w-]+$`));
    const lasts = Date.parse(expiresAt) - clock.now().getTime();
    expect(lasts).toBeGreaterThan(14 * 60_000);
    expect(lasts).toBeLessThanOrEqual(15 * 60_000);
    const image = await runtime.app.inject(url);
    expect(image.statusCode).toBe(200);
    // The widget shows it with an <img> on other sites.
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');

    const signature = new URL(url, 'http://x').searchParams.get('signature') ?? '';
    const refused = async (address: string) => (await runtime.app.inject(address)).json() as { error: { code: string } };
    expect(await refused(url.replace(/expires=(\d+)/, (_match, at: string) => `expires=${Number(at) + 3600}`))).toMatchObject({
      error: { code: 'attachment_link_invalid' },
    });
    expect(await refused(`/api/support/attachments/${other.id}?${url.split('?')[1]}`)).toMatchObject({
      error: { code: 'attachment_link_invalid' },
    });
    expect(await refused(url.replace(signature, `${signature.slice(0, -2)}AA`))).toMatchObject({
      error: { code: 'attachment_link_invalid' },
    });
    // A session token in a URL opens nothing any more.
    const withToken = await runtime.app.inject(`/api/support/attachments/${id}?token=${encodeURIComponent(owner.token)}`);
    expect(withToken.statusCode).toBe(401);
    const anonymous = await runtime.app.inject(`/api/support/attachments/${id}`);
    expect(anonymous.statusCode).toBe(401);

    clock.advance(15 * 60_000 + 1000);
    expect(await refused(url)).toMatchObject({ error: { code: 'attachment_link_expired' } });
  });

  it('emails the transcript without internal notes', async () => {
    const customer = await chatCustomer('要记录的顾客');
    const agent = await signedInStaff(runtime, 'agent', { displayName: '记录员' });
    const started = await request<{ conversation: { id: string } }>(customer.socket, 'conversation:start', {
      category: 'other',
      message: '请把记录发给我',
    });
    await agent.client.post(`/api/agent/conversations/${started.conversation.id}/messages`, { body: '秘密备注', isInternal: true });
    await agent.client.post(`/api/agent/conversations/${started.conversation.id}/messages`, { body: '好的，已为您发送' });
    // Transcripts go only to a verified account address.
    await runtime.deps.pool.query('UPDATE customers SET email_verified_at = now() WHERE id = $1', [customer.id]);
    const sent = await runtime.app.inject({
      method: 'POST',
      url: `/api/support/conversations/${started.conversation.id}/transcript`,
      headers: { 'x-chat-token': customer.token },
      payload: {},
    });
    expect(sent.statusCode).toBe(202);
    let text = '';
    for (let attempt = 0; attempt < 50 && !text; attempt++) {
      const rows = await runtime.deps.pool.query('SELECT text FROM dev_mailbox WHERE recipient = $1', [customer.email]);
      text = rows.rows.find((row) => String(row.text).includes('请把记录发给我'))?.text ?? '';
      if (!text) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(text).toContain('记录员: 好的，已为您发送');
    expect(text).not.toContain('秘密备注');
  });
});
