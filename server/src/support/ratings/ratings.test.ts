import type { RatingSurvey } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRealtimeToken } from '../../identity/index.js';
import { fixedClock, withTransaction } from '../../platform/index.js';
import { type EmailTestRuntime, startEmailTestRuntime } from '../../test/email.js';
import { emailConsole } from '../../test/email-console.js';
import { httpClient } from '../../test/http.js';
import { clientMessageId, connect, createChatCustomer, listen, request } from '../../test/realtime.js';
import { signedInStaff } from '../../test/staff.js';
import type { SupportDeps } from '../support-deps.js';
import { planRatingSurvey } from './plan-rating-survey.js';
import { sendRatingSurvey } from './send-rating-survey.js';

const clock = fixedClock(new Date());
const dayMs = 86_400_000;
let mail: EmailTestRuntime;
let baseUrl: string;
let agent: Awaited<ReturnType<typeof signedInStaff>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  mail = await startEmailTestRuntime({ CSAT_EMAIL_DELAY_MINUTES: '0', CSAT_THROTTLE_DAYS: '7', CSAT_CHANGE_WINDOW_DAYS: '7' }, { clock });
  baseUrl = await listen(mail.runtime);
  agent = await signedInStaff(mail.runtime, 'agent', { displayName: '陈静', chatCapacity: 20 });
  await agent.client.put('/api/agent/presence', { status: 'online' });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await mail?.close();
});

const deps = () => mail.runtime.deps as SupportDeps;
const widget = (token: string) => httpClient(mail.runtime.app, { headers: { 'x-chat-token': token } });
const anonymous = () => httpClient(mail.runtime.app);

/** A signed-in customer's chat that an agent answered and resolved. */
async function resolvedChat(customer?: Awaited<ReturnType<typeof createChatCustomer>>, staff = agent) {
  const who = customer ?? (await createChatCustomer(mail.runtime, '评价顾客'));
  const socket = await connect(baseUrl, who.token);
  sockets.push(socket);
  const started = await request<{ conversation: { id: string } }>(socket, 'conversation:start', {
    category: 'top_up',
    message: '充值一直没到账',
    clientMessageId: clientMessageId(),
  });
  const id = started.conversation.id;
  expect((await staff.client.post(`/api/agent/conversations/${id}/messages`, { body: '已经帮您补发，请查收' })).status).toBe(201);
  expect((await staff.client.patch(`/api/agent/conversations/${id}`, { status: 'resolved' })).status).toBe(200);
  return { id, customer: who, socket };
}

const surveyOf = async (token: string, id: string) => {
  const answer = await widget(token).get(`/api/support/conversations/${id}/rating`);
  expect(answer.status).toBe(200);
  return answer.body as RatingSurvey;
};

describe('rating a chat in the widget', () => {
  it('asks once the chat is resolved, stores score, reasons and a masked comment, and shows agents the rating with a low score flagged', async () => {
    const { id, customer } = await resolvedChat();
    expect(await surveyOf(customer.token, id)).toMatchObject({ state: 'ask', channel: 'chat', agentName: '陈静', rating: null });

    const rated = await widget(customer.token).post(`/api/support/conversations/${id}/rating`, {
      score: 2,
      reasons: ['slow_reply', 'not_solved', 'slow_reply'],
      comment: '等了很久，卡号 4242 4242 4242 4242 还是没到账',
    });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({
      state: 'answered',
      rating: {
        score: 2,
        reasons: ['slow_reply', 'not_solved'],
        comment: '等了很久，卡号 **** **** **** 4242 还是没到账',
        source: 'widget',
      },
    });

    const detail = await agent.client.get(`/api/agent/conversations/${id}`);
    const body = detail.body as {
      rating: { score: number; needsReview: boolean };
      survey: { status: string; channel: string };
      events: Array<{ type: string; data: Record<string, unknown> }>;
    };
    expect(body.rating).toMatchObject({ score: 2, needsReview: true, reviewedAt: null });
    expect(body.survey).toMatchObject({ status: 'answered', channel: 'widget' });
    expect(body.events.map((event) => event.type)).toEqual(expect.arrayContaining(['rating_requested', 'rated']));
    expect(body.events.find((event) => event.type === 'rated')?.data).toMatchObject({ score: 2, previousScore: null, needsReview: true });
  });

  it('lets the customer change the rating within the window and refuses a change after it', async () => {
    const { id, customer } = await resolvedChat();
    await widget(customer.token).post(`/api/support/conversations/${id}/rating`, { score: 3, reasons: [] });
    const changed = await widget(customer.token).post(`/api/support/conversations/${id}/rating`, { score: 5, reasons: ['friendly'] });
    expect(changed.body).toMatchObject({ state: 'answered', rating: { score: 5, reasons: ['friendly'], comment: null } });

    clock.advance(7 * dayMs + 60_000);
    try {
      const { token } = signRealtimeToken(deps().config.sessionSecret, { kind: 'customer', customerId: customer.id }, clock.now());
      const late = await widget(token).post(`/api/support/conversations/${id}/rating`, { score: 1, reasons: [] });
      expect(late.status).toBe(410);
      expect(late.body).toMatchObject({ error: { code: 'rating_closed' } });
      expect(await surveyOf(token, id)).toMatchObject({ state: 'closed', rating: { score: 5 } });
    } finally {
      clock.advance(-(7 * dayMs + 60_000));
    }
  });

  it('asks once per conversation: a reopened and resolved again chat keeps its one survey', async () => {
    const { id, customer, socket } = await resolvedChat();
    await widget(customer.token).post(`/api/support/conversations/${id}/rating`, { score: 4, reasons: ['fast_solution'] });
    await request(socket, 'message:send', { conversationId: id, body: '又出问题了', clientMessageId: clientMessageId() });
    expect((await agent.client.post(`/api/agent/conversations/${id}/messages`, { body: '再看一下' })).status).toBe(201);
    expect((await agent.client.patch(`/api/agent/conversations/${id}`, { status: 'resolved' })).status).toBe(200);
    await mail.runtime.events.drain();
    const detail = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { events: Array<{ type: string }> };
    expect(detail.events.filter((event) => event.type === 'rating_requested')).toHaveLength(1);
    expect(await surveyOf(customer.token, id)).toMatchObject({ state: 'answered', rating: { score: 4 } });
  });

  it('does not ask the same customer again within the throttle days, nor ever after they opted out', async () => {
    const customer = await createChatCustomer(mail.runtime, '少打扰');
    const first = await resolvedChat(customer);
    expect((await surveyOf(customer.token, first.id)).state).toBe('ask');
    const second = await resolvedChat(customer);
    expect((await surveyOf(customer.token, second.id)).state).toBe('none');
    const detail = (await agent.client.get(`/api/agent/conversations/${second.id}`)).body as { survey: unknown };
    expect(detail.survey).toMatchObject({ status: 'skipped', skipReason: 'recently_asked' });

    const optedOut = await widget(customer.token).post(`/api/support/conversations/${first.id}/rating/opt-out`, {});
    expect(optedOut.body).toMatchObject({ hasOptedOut: true });
    clock.advance(8 * dayMs);
    try {
      const { token } = signRealtimeToken(deps().config.sessionSecret, { kind: 'customer', customerId: customer.id }, clock.now());
      // Sessions end with time too: a colleague signed in now answers the next chat.
      const colleague = await signedInStaff(mail.runtime, 'agent');
      const later = await resolvedChat({ ...customer, token }, colleague);
      expect((await surveyOf(token, later.id)).state).toBe('none');
      const laterDetail = (await colleague.client.get(`/api/agent/conversations/${later.id}`)).body as { survey: unknown };
      expect(laterDetail.survey).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    } finally {
      clock.advance(-8 * dayMs);
    }
  });

  it('does not ask while the chat is open or when no agent ever answered, and refuses a rating then', async () => {
    const customer = await createChatCustomer(mail.runtime, '还没结束');
    const socket = await connect(baseUrl, customer.token);
    sockets.push(socket);
    const started = await request<{ conversation: { id: string } }>(socket, 'conversation:start', {
      category: 'account',
      message: '你好',
      clientMessageId: clientMessageId(),
    });
    const id = started.conversation.id;
    expect((await surveyOf(customer.token, id)).state).toBe('none');
    const early = await widget(customer.token).post(`/api/support/conversations/${id}/rating`, { score: 5 });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'rating_not_open' } });
    // Resolved without an agent's answer (spam, a visitor who left): nobody is asked.
    expect((await agent.client.patch(`/api/agent/conversations/${id}`, { status: 'resolved' })).status).toBe(200);
    await mail.runtime.events.drain();
    expect((await surveyOf(customer.token, id)).state).toBe('none');
  });

  it("refuses another customer's conversation and a rating without any credential", async () => {
    const { id } = await resolvedChat();
    const stranger = await createChatCustomer(mail.runtime, '路人');
    const foreign = await widget(stranger.token).post(`/api/support/conversations/${id}/rating`, { score: 1 });
    expect(foreign.status).toBe(404);
    const bare = await anonymous().post(`/api/support/conversations/${id}/rating`, { score: 1 });
    expect(bare.status).toBe(401);
    const badScore = await widget(stranger.token).post(`/api/support/conversations/${id}/rating`, { score: 6 });
    expect(badScore.status).toBe(400);
  });
});

describe('rating an email conversation from the survey mail', () => {
  let counter = 0;
  const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

  async function resolvedEmail(subject: string) {
    const from = unique('mailer');
    await mail.send({ from: `张三 <${from}>`, to: 'support@okpay.local', subject, text: '提现一直显示处理中。' });
    const [item] = await emailConsole(agent.client).withSubject(subject);
    if (!item) throw new Error('no email conversation');
    expect((await agent.client.post(`/api/agent/conversations/${item.id}/messages`, { body: '已处理完成，请查看。' })).status).toBe(201);
    expect((await agent.client.patch(`/api/agent/conversations/${item.id}`, { status: 'resolved' })).status).toBe(200);
    await mail.runtime.events.drain();
    const survey = await mail.sink.waitFor((received) => received.to.includes(from) && received.subject.includes('满意'));
    const links = [...survey.text.matchAll(/(http:\/\/okpay\.test\/rate\?token=[\w-]+&score=(\d)&lang=zh-CN)/g)].map((match) => ({
      url: match[1] ?? '',
      score: Number(match[2]),
    }));
    const token = new URL(links[0]?.url ?? 'http://x').searchParams.get('token') ?? '';
    return { id: item.id, reference: item.reference, from, survey, links, token };
  }

  it('mails five faces after resolving; opening every link (as a mail scanner does) records nothing, the page posting with the token does', async () => {
    const { id, reference, survey, links, token } = await resolvedEmail('提现处理中');
    expect(survey.subject).toBe(`[#${reference}] 您对本次客服服务满意吗？`);
    expect(survey.text).toContain('陈静');
    expect(survey.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(links.map((link) => link.score)).toEqual([5, 4, 3, 2, 1]);

    // A scanner follows every link with GET; the rating page reads the survey; none of it is a vote.
    for (const link of links) expect((await anonymous().get(link.url.replace('http://okpay.test', ''))).status).toBeLessThan(500);
    const page = await anonymous().post('/api/support/rating-survey', { token });
    expect(page.body).toMatchObject({ conversationId: id, state: 'ask', channel: 'email', reference, rating: null, agentName: '陈静' });
    const before = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { rating: unknown; survey: unknown };
    expect(before.rating).toBeNull();
    expect(before.survey).toMatchObject({ status: 'sent', channel: 'email' });

    const rated = await anonymous().post(`/api/support/conversations/${id}/rating`, { token, score: 5, reasons: ['fast_solution'] });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ state: 'answered', rating: { score: 5, source: 'email' } });
    const after = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { rating: unknown };
    expect(after.rating).toMatchObject({ score: 5, needsReview: false, source: 'email' });
  });

  it('refuses a token for another conversation, a forged token and an expired link', async () => {
    const first = await resolvedEmail('链接测试一');
    const second = await resolvedEmail('链接测试二');
    const crossed = await anonymous().post(`/api/support/conversations/${second.id}/rating`, { token: first.token, score: 1 });
    expect(crossed.status).toBe(404);
    expect(crossed.body).toMatchObject({ error: { code: 'rating_link_invalid' } });
    const forged = await anonymous().post('/api/support/rating-survey', { token: 'x'.repeat(43) });
    expect(forged.status).toBe(404);

    clock.advance(15 * dayMs);
    try {
      const expired = await anonymous().post(`/api/support/conversations/${second.id}/rating`, { token: second.token, score: 4 });
      expect(expired.status).toBe(410);
      expect(expired.body).toMatchObject({ error: { code: 'rating_link_expired' } });
    } finally {
      clock.advance(-15 * dayMs);
    }
  });

  it('opting out from the page stops later survey mails to that address', async () => {
    const first = await resolvedEmail('退订测试');
    const optOut = await anonymous().post(`/api/support/conversations/${first.id}/rating/opt-out`, { token: first.token });
    expect(optOut.body).toMatchObject({ hasOptedOut: true });
    clock.advance(8 * dayMs);
    try {
      const subject = '退订之后';
      await mail.send({ from: first.from, to: 'support@okpay.local', subject, text: '再问一个问题。' });
      const staff = await signedInStaff(mail.runtime, 'agent');
      const [item] = await emailConsole(staff.client).withSubject(subject);
      if (!item) throw new Error('no conversation');
      await staff.client.post(`/api/agent/conversations/${item.id}/messages`, { body: '好的' });
      await staff.client.patch(`/api/agent/conversations/${item.id}`, { status: 'resolved' });
      await mail.runtime.events.drain();
      const detail = (await staff.client.get(`/api/agent/conversations/${item.id}`)).body as { survey: unknown };
      expect(detail.survey).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    } finally {
      clock.advance(-8 * dayMs);
    }
  });

  it('waits for the delay and mails only if the conversation is still resolved then', async () => {
    const delayed: SupportDeps = { ...deps(), config: { ...deps().config, ratings: { ...deps().config.ratings, emailDelayMinutes: 60 } } };
    const from = unique('later');
    const subject = '延迟发送';
    await mail.send({ from, to: 'support@okpay.local', subject, text: '问题已经解决了吗？' });
    const [item] = await emailConsole(agent.client).withSubject(subject);
    if (!item) throw new Error('no conversation');
    await agent.client.post(`/api/agent/conversations/${item.id}/messages`, { body: '解决了' });
    // Resolved with the subscriber held back, so the survey is planned with the 60-minute delay.
    await mail.runtime.deps.pool.query("UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1", [item.id]);
    const planned = await withTransaction(mail.runtime.deps.pool, (tx) => planRatingSurvey(delayed, tx, item.id));
    expect(planned).toMatchObject({ status: 'scheduled', sendAt: new Date(clock.now().getTime() + 3_600_000) });
    expect(await sendRatingSurvey(delayed, item.id)).toBe('waiting');
    await mail.runtime.deps.pool.query("UPDATE conversations SET status = 'open', resolved_at = NULL WHERE id = $1", [item.id]);
    clock.advance(61 * 60_000);
    try {
      // Reopened by the time it was due: nothing is sent; it waits for the next resolution.
      expect(await sendRatingSurvey(delayed, item.id)).toBe('waiting');
      await mail.runtime.deps.pool.query("UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1", [item.id]);
      expect(await sendRatingSurvey(delayed, item.id)).toBe('sent');
      await mail.sink.waitFor((received) => received.to.includes(from) && received.subject.includes('满意'));
    } finally {
      clock.advance(-61 * 60_000);
    }
  });
});

describe('following up low ratings', () => {
  it('lets a supervisor mark a low rating as followed up, and refuses an agent', async () => {
    const { id, customer } = await resolvedChat();
    await widget(customer.token).post(`/api/support/conversations/${id}/rating`, { score: 1, reasons: ['not_solved'] });
    const refused = await agent.client.post(`/api/agent/conversations/${id}/rating/review`);
    expect(refused.status).toBe(403);
    const supervisor = await signedInStaff(mail.runtime, 'supervisor', { displayName: '主管老周' });
    const waiting = (await supervisor.client.get('/api/agent/ratings/follow-ups')).body as { followUps: Array<{ conversationId: string }> };
    expect(waiting.followUps).toContainEqual(
      expect.objectContaining({ conversationId: id, score: 1, reasons: ['not_solved'], agentName: '陈静' }),
    );
    const reviewed = await supervisor.client.post(`/api/agent/conversations/${id}/rating/review`);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ score: 1, needsReview: false, reviewedByName: '主管老周' });
    const detail = (await agent.client.get(`/api/agent/conversations/${id}`)).body as { events: Array<{ type: string }> };
    expect(detail.events.map((event) => event.type)).toContain('rating_reviewed');
    const after = (await supervisor.client.get('/api/agent/ratings/follow-ups')).body as { followUps: Array<{ conversationId: string }> };
    expect(after.followUps.map((item) => item.conversationId)).not.toContain(id);
  });
});
