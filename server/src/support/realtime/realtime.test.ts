import type { ChatMessage, SlaChangedEvent } from '@okpay/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, nextEvent, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInCustomer } from '../../test/wallet.js';
import { routeWaiting } from '../routing/route-waiting.js';
import { disconnectEndedSessions } from './session-check.js';

let runtime: Runtime;
let baseUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime({ env: { AGENT_OFFLINE_GRACE_SECONDS: '0' } });
  baseUrl = await listen(runtime);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await runtime?.close();
});

async function open(token: string) {
  const socket = await connect(baseUrl, token);
  sockets.push(socket);
  return socket;
}

type Started = {
  conversation: { id: string; agent: { name: string } | null; queue: { position: number } | null };
  messages: ChatMessage[];
};

async function startChat(socket: Socket, message?: string) {
  const started = await request<Started>(socket, 'conversation:start', {
    category: 'top_up',
    ...(message ? { message, clientMessageId: clientMessageId() } : {}),
  });
  if (!started.conversation) throw new Error(JSON.stringify(started));
  return started;
}

async function resetPresence() {
  await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
  await runtime.deps.pool.query("UPDATE conversations SET status = 'closed', waiting_since = NULL WHERE status IN ('open', 'pending')");
}

describe('live chat over real sockets', () => {
  it('routes by load under capacity, queues in arrival order and assigns as slots free up', async () => {
    await resetPresence();
    const alpha = await createAgent(runtime, { name: '阿尔法', capacity: 2 });
    const beta = await createAgent(runtime, { name: '贝塔', capacity: 1 });
    const alphaSocket = await open(alpha.token);
    const betaSocket = await open(beta.token);
    await request(alphaSocket, 'presence:set', { status: 'online' });
    await request(betaSocket, 'presence:set', { status: 'online' });

    const customers = await Promise.all(Array.from({ length: 5 }, (_, index) => createChatCustomer(runtime, `顾客${index + 1}`)));
    const customerSockets = await Promise.all(customers.map((customer) => open(customer.token)));
    const started: Started[] = [];
    for (const socket of customerSockets) started.push(await startChat(socket, '你好，我的充值失败了'));

    const assignees = started.slice(0, 3).map((chat) => chat.conversation.agent?.name);
    expect(assignees.filter((name) => name === '阿尔法')).toHaveLength(2);
    expect(assignees.filter((name) => name === '贝塔')).toHaveLength(1);
    expect(started[3]?.conversation.queue).toMatchObject({ position: 1, agentsOnline: 2 });
    expect(started[4]?.conversation.queue).toMatchObject({ position: 2 });
    expect(started[4]?.conversation.agent).toBeNull();

    // Beta finishes a chat: the first in the queue gets Beta, the second moves up.
    const betaChat = started.slice(0, 3).find((chat) => chat.conversation.agent?.name === '贝塔');
    const fourthAssigned = nextEvent<{ agent?: { name: string } }>(
      customerSockets[3] as Socket,
      'conversation:updated',
      (event) => event.agent !== undefined,
    );
    const fifthMoved = nextEvent<{ queue: { position: number } }>(
      customerSockets[4] as Socket,
      'queue',
      (event) => event.queue.position === 1,
    );
    const resolve = await runtime.app.inject({
      method: 'PATCH',
      url: `/api/agent/conversations/${betaChat?.conversation.id}`,
      headers: { authorization: `Bearer ${await staffBearer(beta.email)}` },
      payload: { status: 'resolved' },
    });
    expect(resolve.statusCode).toBe(200);
    expect((await fourthAssigned).agent?.name).toBe('贝塔');
    expect((await fifthMoved).queue.position).toBe(1);
  });

  it('delivers messages both ways, keeps internal notes from the customer, and masks card numbers', async () => {
    await resetPresence();
    const agent = await createAgent(runtime, { name: '客服小李' });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime, '王女士');
    const customerSocket = await open(customer.token);
    const { conversation } = await startChat(customerSocket);
    expect(conversation.agent?.name).toBe('客服小李');

    const opened = await request<{ messages: ChatMessage[] }>(agentSocket, 'conversation:open', {
      conversationId: conversation.id,
      afterSeq: 0,
    });
    expect(opened.messages).toEqual([]);

    const atAgent = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.authorType === 'customer');
    const sent = await request<{ message: ChatMessage }>(customerSocket, 'message:send', {
      conversationId: conversation.id,
      body: '我的卡号是 4242 4242 4242 4242，充值失败了',
      clientMessageId: clientMessageId(),
    });
    expect(sent.message.redactions).toEqual({ card: 1 });
    const received = await atAgent;
    expect(received.body).not.toContain('4242 4242 4242 4242');
    expect(received.body).toContain('**** **** **** 4242');
    const stored = await runtime.deps.pool.query("SELECT count(*)::int AS n FROM messages WHERE body LIKE '%4242 4242 4242 4242%'");
    expect(stored.rows[0]?.n).toBe(0);

    const notes: ChatMessage[] = [];
    customerSocket.on('message', (message: ChatMessage) => notes.push(message));
    await request(agentSocket, 'message:send', {
      conversationId: conversation.id,
      body: '内部备注：客户很着急',
      clientMessageId: clientMessageId(),
      isInternal: true,
    });
    const reply = nextEvent<ChatMessage>(customerSocket, 'message', (message) => message.authorType === 'agent');
    await request(agentSocket, 'message:send', {
      conversationId: conversation.id,
      body: '您好，我来帮您查看',
      clientMessageId: clientMessageId(),
    });
    expect((await reply).authorName).toBe('客服小李');
    expect(notes.some((message) => message.isInternal)).toBe(false);

    const typing = nextEvent<{ isTyping: boolean; from: string }>(customerSocket, 'typing');
    await request(agentSocket, 'typing', { conversationId: conversation.id, isTyping: true });
    expect(await typing).toMatchObject({ isTyping: true, from: 'agent' });

    const receipt = nextEvent<{ readerType: string; seq: number }>(customerSocket, 'read', (event) => event.readerType === 'staff');
    await request(agentSocket, 'read', { conversationId: conversation.id, seq: 10 });
    expect((await receipt).seq).toBe(3);
  });

  it('tells a chat’s SLA clocks to its agent and to supervisors, not to every other agent, and only when they change', async () => {
    await resetPresence();
    const agent = await createAgent(runtime, { name: '计时客服', capacity: 1 });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime, '赵先生');
    const customerSocket = await open(customer.token);
    const { conversation } = await startChat(customerSocket);
    const colleague = await createAgent(runtime, { name: '旁边的客服' });
    const supervisor = await createAgent(runtime, { name: '主管', role: 'supervisor' });
    const colleagueSocket = await open(colleague.token);
    const supervisorSocket = await open(supervisor.token);
    await request(colleagueSocket, 'presence:set', { status: 'online' });
    await runtime.events.drain();
    const heard = { agent: [] as SlaChangedEvent[], colleague: [] as SlaChangedEvent[], supervisor: [] as SlaChangedEvent[] };
    agentSocket.on('sla:changed', (event: SlaChangedEvent) => heard.agent.push(event));
    colleagueSocket.on('sla:changed', (event: SlaChangedEvent) => heard.colleague.push(event));
    supervisorSocket.on('sla:changed', (event: SlaChangedEvent) => heard.supervisor.push(event));

    const send = (socket: Socket, body: string) =>
      request(socket, 'message:send', { conversationId: conversation.id, body, clientMessageId: clientMessageId() });
    await send(customerSocket, '还在吗');
    await runtime.events.drain();
    await expect.poll(() => heard.agent.length).toBe(1);
    await expect.poll(() => heard.supervisor.length).toBe(1);
    expect(heard.agent[0]?.clocks.find((clock) => clock.target === 'first_reply')).toMatchObject({ state: 'running' });
    // A second question waits for the same answer: the clocks did not change, nobody is told again.
    await send(customerSocket, '请回复一下');
    await runtime.events.drain();
    await send(agentSocket, '在的，请讲');
    await runtime.events.drain();
    await expect.poll(() => heard.agent.length).toBe(2);
    expect(heard.agent[1]?.clocks.find((clock) => clock.target === 'first_reply')).toMatchObject({ state: 'met' });
    await request(colleagueSocket, 'presence:set', { status: 'online' }); // a round trip after the broadcasts
    expect(heard.supervisor).toHaveLength(2);
    expect(heard.colleague.filter((event) => event.conversationId === conversation.id)).toEqual([]);
  });

  it("answers a customer's message to the sending tab alone and sends copies to the customer's other tabs and the agent", async () => {
    await resetPresence();
    const agent = await createAgent(runtime, { name: '回声客服' });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime, '两个标签页');
    const sending = await open(customer.token);
    const other = await open(customer.token);
    const { conversation } = await startChat(sending);
    await request(other, 'conversation:resume', { conversationId: conversation.id, afterSeq: 0 });
    await request(agentSocket, 'conversation:open', { conversationId: conversation.id, afterSeq: 0 });
    const copiesToSender: ChatMessage[] = [];
    sending.on('message', (message: ChatMessage) => copiesToSender.push(message));

    const atOther = nextEvent<ChatMessage>(other, 'message', (message) => message.authorType === 'customer');
    const atAgent = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.authorType === 'customer');
    const sent = await request<{ message: ChatMessage }>(sending, 'message:send', {
      conversationId: conversation.id,
      body: '在第一个标签页里写的',
      clientMessageId: clientMessageId(),
    });
    expect((await atOther).id).toBe(sent.message.id);
    expect((await atAgent).id).toBe(sent.message.id);

    // The agent's answer reaches the sending tab, and the agent's own console still gets its copy (its inbox follows it).
    const answerAtSender = nextEvent<ChatMessage>(sending, 'message', (message) => message.authorType === 'agent');
    const ownCopyAtAgent = nextEvent<ChatMessage>(agentSocket, 'message', (message) => message.authorType === 'agent');
    const answer = await request<{ message: ChatMessage }>(agentSocket, 'message:send', {
      conversationId: conversation.id,
      body: '收到，正在查',
      clientMessageId: clientMessageId(),
    });
    expect((await answerAtSender).id).toBe(answer.message.id);
    expect((await ownCopyAtAgent).id).toBe(answer.message.id);
    expect(copiesToSender.map((message) => message.id)).toEqual([answer.message.id]);
  });

  it('stores a retried send once and answers it with the same message', async () => {
    await resetPresence();
    const customer = await createChatCustomer(runtime);
    const socket = await open(customer.token);
    const { conversation } = await startChat(socket);
    const id = clientMessageId();
    const [first, second] = await Promise.all([
      request<{ message: ChatMessage }>(socket, 'message:send', { conversationId: conversation.id, body: 'retry me', clientMessageId: id }),
      request<{ message: ChatMessage }>(socket, 'message:send', { conversationId: conversation.id, body: 'retry me', clientMessageId: id }),
    ]);
    expect(first.message.id).toBe(second.message.id);
    const count = await runtime.deps.pool.query(
      'SELECT count(*)::int AS n, max(seq)::int AS seq FROM messages WHERE conversation_id = $1',
      [conversation.id],
    );
    expect(count.rows[0]).toEqual({ n: 1, seq: 1 });
  });

  it('serves every socket with one shared listener: an idle connection registers no handlers of its own', async () => {
    const customers = [await open((await createChatCustomer(runtime)).token), await open((await createChatCustomer(runtime)).token)];
    const agent = await open((await createAgent(runtime)).token);
    const serverSide = (client: Socket) => {
      const socket = runtime.realtime.io.of('/').sockets.get(client.id ?? '');
      if (!socket) throw new Error('no server socket');
      return socket;
    };
    const listeners = [...customers, agent].map((client) => serverSide(client).listenersAny());
    expect(listeners.map((any) => any.length)).toEqual([1, 1, 1]);
    expect(new Set(listeners.flat()).size).toBe(1);
    // Socket.IO's own no-op for 'error'; staff sockets also hear their disconnect (the offline grace period).
    for (const customer of customers) expect(serverSide(customer).eventNames()).toEqual(['error']);
    expect(serverSide(agent).eventNames().sort()).toEqual(['disconnect', 'error']);
    expect(Object.keys(serverSide(customers[0] as Socket).data).sort()).toEqual(['locale', 'participant', 'session']);
    // And the shared listener still answers each socket as its own participant.
    const started = await startChat(customers[0] as Socket);
    expect(started.conversation.id).toEqual(expect.any(String));
    expect(await request(customers[1] as Socket, 'presence:set', { status: 'online' })).toMatchObject({ error: { code: 'not_found' } });
    expect(await request(agent, 'presence:set', { status: 'online' })).toEqual({ status: 'online' });
  });

  it("keeps customers out of each other's conversations and refuses forged identities", async () => {
    const alice = await createChatCustomer(runtime);
    const mallory = await createChatCustomer(runtime);
    const aliceSocket = await open(alice.token);
    const { conversation } = await startChat(aliceSocket, 'private');
    const mallorySocket = await open(mallory.token);
    const peek = await request<{ error?: { code: string } }>(mallorySocket, 'conversation:resume', {
      conversationId: conversation.id,
      afterSeq: 0,
    });
    expect(peek.error?.code).toBe('conversation_not_found');
    const write = await request<{ error?: { code: string } }>(mallorySocket, 'message:send', {
      conversationId: conversation.id,
      body: 'hi',
      clientMessageId: clientMessageId(),
    });
    expect(write.error?.code).toBe('conversation_not_found');
    // Identity comes from the signed token only; a claimed customer id is an unknown field.
    const claim = await request<{ error?: { code: string } }>(mallorySocket, 'conversation:start', {
      category: 'other',
      customerId: alice.id,
    });
    expect(claim.error?.code).toBe('validation_failed');
    const forged = `${Buffer.from(JSON.stringify({ kind: 'customer', customerId: alice.id, exp: 9_999_999_999 })).toString('base64url')}.forged`;
    await expect(connect(baseUrl, forged)).rejects.toThrow(/realtime_unauthorized/);
    const visitor = await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} });
    const visitorSocket = await open((visitor.json() as { token: string }).token);
    const visitorPeek = await request<{ error?: { code: string } }>(visitorSocket, 'conversation:resume', {
      conversationId: conversation.id,
      afterSeq: 0,
    });
    expect(visitorPeek.error?.code).toBe('conversation_not_found');
    const visitorLink = await request<{ error?: { code: string } }>(visitorSocket, 'conversation:start', {
      category: 'top_up',
      links: [{ type: 'top_up', id: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(visitorLink.error?.code).toBe('link_not_found');
  });

  it('loses nothing and shows nothing twice when the customer reconnects in the middle of a burst of 500 messages', async () => {
    await resetPresence();
    const agent = await createAgent(runtime, { name: 'Burst' });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime);
    let customerSocket = await open(customer.token);
    const { conversation } = await startChat(customerSocket);

    // What the widget does: remember messages by id, and the last sequence number seen.
    const shown = new Map<string, ChatMessage>();
    let lastSeq = 0;
    const onMessage = (message: ChatMessage) => {
      shown.set(message.id, message);
      lastSeq = Math.max(lastSeq, message.seq);
    };
    customerSocket.on('message', onMessage);

    const burst = (async () => {
      for (let index = 1; index <= 500; index++) {
        await request(agentSocket, 'message:send', {
          conversationId: conversation.id,
          body: `第 ${index} 条`,
          clientMessageId: clientMessageId(),
        });
      }
    })();
    while (shown.size < 120) await new Promise((resolve) => setTimeout(resolve, 5));
    customerSocket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 150));
    customerSocket = await open(customer.token);
    customerSocket.on('message', onMessage);
    const resumed = await request<{ messages: ChatMessage[] }>(customerSocket, 'conversation:resume', {
      conversationId: conversation.id,
      afterSeq: lastSeq,
    });
    for (const message of resumed.messages) onMessage(message);
    await burst;
    const deadline = Date.now() + 10_000;
    while (shown.size < 500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    const ordered = [...shown.values()].sort((left, right) => left.seq - right.seq);
    expect(ordered).toHaveLength(500);
    expect(ordered.map((message) => message.body)).toEqual(Array.from({ length: 500 }, (_, index) => `第 ${index + 1} 条`));
    expect(ordered.map((message) => message.seq)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
  });

  it('reopens a resolved chat on the customer’s next message and refuses messages once it is closed, whatever the socket saw before', async () => {
    await resetPresence();
    const agent = await createAgent(runtime, { name: 'Closer' });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime);
    const customerSocket = await open(customer.token);
    const { conversation } = await startChat(customerSocket, 'first');
    await request(agentSocket, 'conversation:open', { conversationId: conversation.id, afterSeq: 0 });
    const patch = async (status: string) => {
      const response = await runtime.app.inject({
        method: 'PATCH',
        url: `/api/agent/conversations/${conversation.id}`,
        headers: { authorization: `Bearer ${await staffBearer(agent.email)}` },
        payload: { status },
      });
      expect(response.statusCode).toBe(200);
    };

    // The customer's socket last saw the chat open; the agent resolves it behind its back.
    await patch('resolved');
    const reopened = nextEvent<{ change: string; status: string }>(
      agentSocket,
      'conversation:updated',
      (event) => event.change === 'status_changed',
    );
    const sent = await request<{ message?: ChatMessage }>(customerSocket, 'message:send', {
      conversationId: conversation.id,
      body: 'one more thing',
      clientMessageId: clientMessageId(),
    });
    expect(sent.message?.seq).toBe(2);
    expect((await reopened).status).toBe('open');
    const events = await runtime.deps.pool.query<{ data: { from: string; to: string } }>(
      "SELECT data FROM conversation_events WHERE conversation_id = $1 AND type = 'status_changed' AND actor_type = 'customer'",
      [conversation.id],
    );
    expect(events.rows.map((row) => row.data)).toEqual([{ from: 'resolved', to: 'open' }]);

    await patch('closed');
    const refused = await request<{ error?: { code: string } }>(customerSocket, 'message:send', {
      conversationId: conversation.id,
      body: 'too late',
      clientMessageId: clientMessageId(),
    });
    expect(refused.error?.code).toBe('conversation_closed');
    const stored = await runtime.deps.pool.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [conversation.id]);
    expect(stored.rows[0]?.n).toBe(2);
  });

  it('puts an offline agent’s chats back in the queue for someone else', async () => {
    await resetPresence();
    const leaving = await createAgent(runtime, { name: 'Leaving', capacity: 1 });
    const leavingSocket = await open(leaving.token);
    await request(leavingSocket, 'presence:set', { status: 'online' });
    const customer = await createChatCustomer(runtime);
    const customerSocket = await open(customer.token);
    const { conversation } = await startChat(customerSocket, 'help');
    expect(conversation.agent?.name).toBe('Leaving');
    const staying = await createAgent(runtime, { name: 'Staying', capacity: 1 });
    const stayingSocket = await open(staying.token);
    await request(stayingSocket, 'presence:set', { status: 'online' });
    const reassigned = nextEvent<{ agent?: { name: string } }>(
      customerSocket,
      'conversation:updated',
      (event) => event.agent?.name === 'Staying',
    );
    leavingSocket.disconnect();
    expect((await reassigned).agent?.name).toBe('Staying');
    const events = await runtime.deps.pool.query('SELECT type FROM conversation_events WHERE conversation_id = $1 ORDER BY id', [
      conversation.id,
    ]);
    expect(events.rows.map((row) => row.type)).toEqual(['created', 'assigned', 'unassigned', 'assigned']);
  });

  it('ends the live chat of a session that signs out and refuses its token from then on', async () => {
    const customer = await signedInCustomer(runtime);
    const customerToken = (await customer.client.post('/api/support/realtime-token', {})).body as { token: string };
    const customerSocket = await open(customerToken.token);
    const agent = await createAgent(runtime);
    const bearer = await staffBearer(agent.email);
    const staffToken = await runtime.app.inject({
      method: 'POST',
      url: '/api/agent/realtime-token',
      headers: { authorization: `Bearer ${bearer}` },
    });
    const agentSocket = await open((staffToken.json() as { token: string }).token);

    // Signed in, nothing to end.
    expect(await disconnectEndedSessions(runtime.deps, runtime.realtime.io)).toBe(0);
    expect(customerSocket.connected && agentSocket.connected).toBe(true);

    const customerGone = new Promise((resolve) => customerSocket.once('disconnect', resolve));
    const agentGone = new Promise((resolve) => agentSocket.once('disconnect', resolve));
    expect((await customer.client.post('/api/auth/logout', {})).status).toBe(204);
    const staffLogout = await runtime.app.inject({
      method: 'POST',
      url: '/api/agent/auth/logout',
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(staffLogout.statusCode).toBe(204);
    expect(await disconnectEndedSessions(runtime.deps, runtime.realtime.io)).toBe(2);
    expect(await customerGone).toBe('io server disconnect');
    expect(await agentGone).toBe('io server disconnect');

    // The tokens have not expired yet, but the sessions behind them have: no socket, no widget HTTP.
    await expect(connect(baseUrl, customerToken.token)).rejects.toThrow('realtime_unauthorized');
    const picker = await runtime.app.inject({
      method: 'GET',
      url: '/api/support/picker',
      headers: { 'x-chat-token': customerToken.token },
    });
    expect(picker.statusCode).toBe(401);
    // The token names the session by its public id only, never by the stored hash.
    const claims = JSON.parse(Buffer.from(customerToken.token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { sessionId: string };
    expect(claims.sessionId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('checks handshakes that arrive together each on its own: the ended session, the deactivated agent, the stranger and the forgery among them are refused', async () => {
    const customers = await Promise.all(Array.from({ length: 12 }, (_, index) => createChatCustomer(runtime, `人群 ${index}`)));
    const signedOut = await signedInCustomer(runtime);
    const signedOutToken = ((await signedOut.client.post('/api/support/realtime-token', {})).body as { token: string }).token;
    expect((await signedOut.client.post('/api/auth/logout', {})).status).toBe(204);
    const active = await createAgent(runtime, { name: '在岗' });
    const deactivated = await createAgent(runtime, { name: '已停用' });
    await runtime.deps.pool.query('UPDATE staff_members SET is_active = false WHERE id = $1', [deactivated.id]);
    const { signRealtimeToken } = await import('../../identity/index.js');
    const stranger = signRealtimeToken(
      runtime.deps.config.sessionSecret,
      { kind: 'customer', customerId: '00000000-0000-4000-8000-000000000000' },
      runtime.deps.clock.now(),
    ).token;
    const visitor = (await runtime.app.inject({ method: 'POST', url: '/api/support/visitor-token', payload: {} })).json() as {
      token: string;
    };
    const forged = `${customers[0]?.token.split('.')[0]}.forged`;

    const tokens = [
      ...customers.map((customer) => customer.token),
      signedOutToken,
      active.token,
      deactivated.token,
      stranger,
      visitor.token,
      forged,
    ];
    // All at once, interleaved, so they reach the server in the same turns of its event loop.
    const outcomes = await Promise.allSettled(tokens.map((token) => connect(baseUrl, token)));
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') sockets.push(outcome.value);
    const refused = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [index] : []));
    expect(refused).toEqual([12, 14, 15, 17]);
    for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected'))
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/realtime_unauthorized/);

    // Each socket speaks for the one its own token names.
    const connectedIds = new Set(outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.id] : [])));
    const names = new Map<string, string | null>();
    for (const socket of await runtime.realtime.io.fetchSockets())
      if (connectedIds.has(socket.id)) {
        const { participant } = socket.data;
        names.set(
          participant.kind === 'visitor' ? 'visitor' : participant.kind === 'customer' ? participant.customerId : participant.staffId,
          participant.name,
        );
      }
    expect(Object.fromEntries(names)).toEqual({
      ...Object.fromEntries(customers.map((customer, index) => [customer.id, `人群 ${index}`])),
      [active.id]: '在岗',
      visitor: null,
    });
  });

  it('does not route a chat straight back to the agent who handed it back, until the cool-down has passed', async () => {
    // Only this test's agent is online.
    await runtime.deps.pool.query("UPDATE agent_presence SET status = 'offline'");
    const agent = await createAgent(runtime, { name: 'Handing back', capacity: 3 });
    const agentSocket = await open(agent.token);
    await request(agentSocket, 'presence:set', { status: 'online' });
    const first = await startChat(await open((await createChatCustomer(runtime)).token), 'first');
    expect(first.conversation.agent?.name).toBe('Handing back');

    const bearer = await staffBearer(agent.email);
    const handBack = await runtime.app.inject({
      method: 'POST',
      url: `/api/agent/conversations/${first.conversation.id}/assign`,
      headers: { authorization: `Bearer ${bearer}` },
      payload: { agentId: null },
    });
    expect(handBack.statusCode).toBe(200);
    const assigneeOf = async (id: string) =>
      (await runtime.deps.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM conversations WHERE id = $1', [id])).rows[0]
        ?.assignee_id;
    expect(await assigneeOf(first.conversation.id)).toBeNull();

    // The agent is still free for the next customer in line.
    const second = await startChat(await open((await createChatCustomer(runtime)).token), 'second');
    expect(second.conversation.agent?.name).toBe('Handing back');
    expect(await assigneeOf(first.conversation.id)).toBeNull();

    // Ten minutes on, nobody else has taken it: it goes to them rather than wait for ever.
    await runtime.deps.pool.query("UPDATE conversations SET returned_at = returned_at - interval '11 minutes' WHERE id = $1", [
      first.conversation.id,
    ]);
    await routeWaiting(runtime.deps);
    expect(await assigneeOf(first.conversation.id)).toBe(agent.id);
  });
});

async function staffBearer(email: string): Promise<string> {
  const login = await runtime.app.inject({
    method: 'POST',
    url: '/api/agent/auth/login',
    payload: { email, password: 'Agent-Password-Long-1' },
  });
  return (login.json() as { token: string }).token;
}
