import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { publishedEvents } from '../../test/events.js';
import { startTestRuntime } from '../../test/runtime.js';
import { conversationEvents } from '../support.events.js';
import { messages } from '../support.tables.js';
import { type ConversationRow, insertMessages, type NewMessage } from './conversations.repository.js';
import type { Participant } from './participant.js';
import { postMessage } from './post-message.js';
import { startConversation } from './start-conversation.js';

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.close();
});

const agent: Participant = { kind: 'staff', staffId: randomUUID(), name: '批量客服', role: 'agent' };

async function startChat(): Promise<{ conversation: ConversationRow; visitor: Participant }> {
  const visitor: Participant & { kind: 'visitor' } = { kind: 'visitor', visitorId: randomUUID(), name: null };
  const { conversation } = await startConversation(runtime.deps, { participant: visitor, category: 'other', links: [], locale: 'zh-CN' });
  return { conversation, visitor };
}

const send = (conversation: ConversationRow, author: Participant, body: string, clientMessageId: string | null = randomUUID()) =>
  postMessage(runtime.deps, { conversation, author, body, clientMessageId });

async function storedMessages(conversationId: string) {
  const { rows } = await runtime.deps.pool.query<{ seq: string; body: string; client_message_id: string; tx: string }>(
    'SELECT seq, body, client_message_id, xmin::text AS tx FROM messages WHERE conversation_id = $1 ORDER BY seq',
    [conversationId],
  );
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

async function postedEvents(conversationId: string) {
  const events = await publishedEvents(runtime.deps.pool, { typePrefix: conversationEvents.messagePosted, subjectId: conversationId });
  return events.map((event) => event.payload.seq);
}

const setStatus = (conversationId: string, status: string) =>
  runtime.deps.pool.query('UPDATE conversations SET status = $2 WHERE id = $1', [conversationId, status]);

describe('messages written in batches', () => {
  it('numbers two messages of one conversation in one batch one after the other, and announces them in that order', async () => {
    const { conversation, visitor } = await startChat();
    const other = await startChat();
    // Sent in the same turn: they share a batch (one transaction).
    const [first, second, elsewhere] = await Promise.all([
      send(conversation, visitor, '第一条'),
      send(conversation, agent, '第二条'),
      send(other.conversation, other.visitor, '别处的一条'),
    ]);
    expect([first.message.seq, second.message.seq, elsewhere.message.seq]).toEqual([1, 2, 1]);
    const stored = await storedMessages(conversation.id);
    expect(stored.map((message) => [message.seq, message.body])).toEqual([
      [1, '第一条'],
      [2, '第二条'],
    ]);
    expect(new Set([...stored, ...(await storedMessages(other.conversation.id))].map((message) => message.tx)).size).toBe(1);
    expect(await postedEvents(conversation.id)).toEqual([1, 2]);
    const { rows } = await runtime.deps.pool.query(
      'SELECT last_message_seq, last_customer_message_at, first_response_at FROM conversations WHERE id = $1',
      [conversation.id],
    );
    expect(Number(rows[0].last_message_seq)).toBe(2);
    expect(rows[0].last_customer_message_at).not.toBeNull();
    expect(rows[0].first_response_at).not.toBeNull();
  });

  it('refuses a message into a closed conversation without failing the others of its batch', async () => {
    const closed = await startChat();
    const open = await startChat();
    await setStatus(closed.conversation.id, 'closed');
    const settled = await Promise.allSettled([
      send(open.conversation, open.visitor, '在吗'),
      send(closed.conversation, closed.visitor, '关了吗'),
      send(open.conversation, agent, '在的'),
    ]);
    expect(
      settled.map((result) => (result.status === 'fulfilled' ? result.value.message.seq : (result.reason as { code: string }).code)),
    ).toEqual([1, 'conversation_closed', 2]);
    expect(await storedMessages(closed.conversation.id)).toEqual([]);
  });

  it('stores nothing for a conversation that does not exist, in a batch or alone: the writer’s own update of the conversation is the check', async () => {
    const real = await startChat();
    const ghost: ConversationRow = { ...real.conversation, id: randomUUID() };
    const settled = await Promise.allSettled([
      send(ghost, real.visitor, '不存在的会话'),
      send(real.conversation, real.visitor, '真的会话'),
    ]);
    expect(settled[0]).toMatchObject({ status: 'rejected' });
    expect(settled[1]).toMatchObject({ status: 'fulfilled', value: { message: { seq: 1 } } });
    await expect(send(ghost, agent, '再试一次')).rejects.toBeTruthy();
    expect(await storedMessages(ghost.id)).toEqual([]);
    expect(await postedEvents(ghost.id)).toEqual([]);
  });

  it('reopens a resolved conversation for the customer’s message while an agent’s message of the same batch goes in as it is', async () => {
    const { conversation, visitor } = await startChat();
    await send(conversation, visitor, '你好');
    await setStatus(conversation.id, 'resolved');
    const [answer, again] = await Promise.all([send(conversation, agent, '还有问题吗'), send(conversation, visitor, '还有一个问题')]);
    expect([answer.message.seq, again.message.seq]).toEqual([2, 3]);
    const { rows } = await runtime.deps.pool.query('SELECT status FROM conversations WHERE id = $1', [conversation.id]);
    expect(rows[0].status).toBe('open');
    expect(await postedEvents(conversation.id)).toEqual([1, 2, 3]);
  });

  it('stores a retried message once, whether the retry comes in a later batch or in the same one', async () => {
    const { conversation, visitor } = await startChat();
    const id = randomUUID();
    const first = await send(conversation, visitor, '重试', id);
    const [later, other] = await Promise.all([send(conversation, visitor, '重试', id), send(conversation, agent, '收到')]);
    expect(later).toMatchObject({ isDuplicate: true, message: { id: first.message.id, seq: 1 } });
    expect(other.message.seq).toBe(2);
    // Twice in one batch: the batch is refused as a whole and each is tried alone.
    const twice = randomUUID();
    const [one, two, bystander] = await Promise.all([
      send(conversation, visitor, '两次', twice),
      send(conversation, visitor, '两次', twice),
      send(conversation, agent, '旁观'),
    ]);
    expect(two.message.id).toBe(one.message.id);
    expect([one.isDuplicate, two.isDuplicate].sort()).toEqual([false, true]);
    expect(bystander.message.seq).toBeGreaterThan(2);
    expect((await storedMessages(conversation.id)).map((message) => message.seq)).toEqual([1, 2, 3, 4]);
    expect(await postedEvents(conversation.id)).toEqual([1, 2, 3, 4]);
  });

  it('acknowledges every one of many concurrent senders and stores each message exactly once, numbered without gaps', async () => {
    const chats = await Promise.all(Array.from({ length: 8 }, () => startChat()));
    const sends = chats.flatMap(({ conversation, visitor }, chat) =>
      Array.from({ length: 25 }, (_, index) => {
        const id = `c${chat}-m${index}`;
        const author = index % 2 === 0 ? visitor : agent;
        // Every fifth message is sent twice at once, as a client retrying a lost answer would.
        const copies = index % 5 === 0 ? 2 : 1;
        return Array.from({ length: copies }, () => send(conversation, author, `消息 ${index}`, id));
      }).flat(),
    );
    const answers = await Promise.all(sends);
    expect(answers).toHaveLength(8 * 30);
    for (const { conversation } of chats) {
      const stored = await storedMessages(conversation.id);
      expect(stored.map((message) => message.seq)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
      expect(new Set(stored.map((message) => message.client_message_id)).size).toBe(25);
      expect(await postedEvents(conversation.id)).toEqual(stored.map((message) => message.seq));
      const acknowledged = answers.filter((answer) => answer.message.conversationId === conversation.id).map((answer) => answer.message.id);
      expect(new Set(acknowledged)).toEqual(new Set((await storedIds(conversation.id)).values()));
    }
  });

  it('holds back the message of a conversation another transaction holds until it lets go, while the rest of the batch is stored at once', async () => {
    const held = await startChat();
    const free = await startChat();
    const holder = new pg.Client({ connectionString: runtime.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [held.conversation.id]);
      let heldAnswered = false;
      const waiting = send(held.conversation, held.visitor, '等一下').then((answer) => {
        heldAnswered = true;
        return answer;
      });
      const [stored] = await Promise.all([send(free.conversation, free.visitor, '不用等'), send(free.conversation, agent, '好的')]);
      expect(stored.message.seq).toBe(1);
      expect(heldAnswered).toBe(false);
      await holder.query('COMMIT');
      expect((await waiting).message.seq).toBe(1);
      expect(await postedEvents(held.conversation.id)).toEqual([1]);
    } finally {
      await holder.end();
    }
  });

  it('answers every sender of a batch whose connection is killed with an error, and keeps nothing of it: the retries are stored once', async () => {
    const { conversation, visitor } = await startChat();
    const before = await send(conversation, visitor, '之前');
    // No event handler holds the conversation's row meanwhile (the SLA clocks' would, for the
    // message before): held for long, the senders would stop batching and wait for the row alone.
    await runtime.events.stop();
    // Another transaction keeps new messages out for a while, so the batch waits inside PostgreSQL.
    const holder = new pg.Client({ connectionString: runtime.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE messages IN SHARE MODE');
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const batch = Promise.allSettled([
        send(conversation, visitor, '一', ids[0]),
        send(conversation, agent, '二', ids[1]),
        send(conversation, visitor, '三', ids[2]),
      ]);
      // Read outside the holder's transaction: within one transaction pg_stat_activity keeps
      // showing what it showed the first time, and the batch may not have arrived by then.
      const waitingBatch = `FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%unnest($1::uuid[]%'`;
      await expect
        .poll(async () => (await runtime.deps.pool.query(`SELECT count(*)::int AS n ${waitingBatch}`)).rows[0].n, { timeout: 10_000 })
        .toBe(1);
      await runtime.deps.pool.query(`SELECT pg_terminate_backend(pid) ${waitingBatch}`);
      const settled = await batch;
      expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      await holder.query('COMMIT');
      expect((await storedMessages(conversation.id)).map((message) => message.seq)).toEqual([before.message.seq]);

      // The senders retry with their client message ids: stored once each, numbered on from the last.
      const retried = await Promise.all([
        send(conversation, visitor, '一', ids[0]),
        send(conversation, agent, '二', ids[1]),
        send(conversation, visitor, '三', ids[2]),
      ]);
      expect(retried.map((answer) => answer.message.seq)).toEqual([2, 3, 4]);
      expect((await storedMessages(conversation.id)).map((message) => message.body)).toEqual(['之前', '一', '二', '三']);
    } finally {
      await holder.end();
      runtime.events.start();
    }
  });
  it('answers each stored message exactly as it reads back from the table, and a retried one as it was first stored', async () => {
    const { conversation, visitor } = await startChat();
    if (visitor.kind !== 'visitor') throw new Error('a visitor starts the chat');
    const at = new Date();
    const batch: NewMessage[] = [
      {
        conversationId: conversation.id,
        clientMessageId: 'read-back-1',
        authorType: 'visitor',
        authorId: visitor.visitorId,
        authorName: '访客',
        body: '我的卡号是 **** **** **** 1234',
        isInternal: false,
        redactions: { phone: 1, card: 2 },
        attachmentId: null,
        at,
      },
      {
        conversationId: conversation.id,
        clientMessageId: null,
        authorType: 'agent',
        authorId: agent.kind === 'staff' ? agent.staffId : '',
        authorName: '批量客服',
        body: '内部备注',
        isInternal: true,
        redactions: null,
        attachmentId: null,
        at: new Date(at.getTime() + 1),
      },
    ];
    const answers = await insertMessages(runtime.deps.db, batch);
    const readBack = await runtime.deps.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation.id))
      .orderBy(messages.seq);
    expect(answers.map((answer) => answer.kind)).toEqual(['stored', 'stored']);
    expect(answers.map((answer) => (answer.kind === 'stored' ? answer.message : undefined))).toEqual(readBack);
    const [retried] = await insertMessages(runtime.deps.db, [batch[0] as NewMessage]);
    expect(retried).toEqual({ kind: 'duplicate', message: readBack[0] });
  });
});

describe('messages waiting out the batch interval', () => {
  it('go together once the interval has passed, and a node shutting down stores them before it lets the database go', async () => {
    const node = await startTestRuntime({ env: { MESSAGE_BATCH_INTERVAL_MS: '200' } });
    let isClosed = false;
    try {
      const visitor: Participant & { kind: 'visitor' } = { kind: 'visitor', visitorId: randomUUID(), name: null };
      const { conversation } = await startConversation(node.deps, { participant: visitor, category: 'other', links: [], locale: 'zh-CN' });
      const post = (body: string) => postMessage(node.deps, { conversation, author: visitor, body, clientMessageId: randomUUID() });
      await post('窗口前');
      // Within 200 ms of the previous batch: these two wait for the window, and the node stops meanwhile.
      const waiting = [post('等待中一'), post('等待中二')];
      const closed = node.close();
      isClosed = true;
      const answers = await Promise.all(waiting);
      await closed;
      expect(answers.map((answer) => answer.message.seq)).toEqual([2, 3]);
      const client = new pg.Client({ connectionString: node.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ body: string; tx: string }>(
          'SELECT body, xmin::text AS tx FROM messages WHERE conversation_id = $1 ORDER BY seq',
          [conversation.id],
        );
        expect(rows.map((row) => row.body)).toEqual(['窗口前', '等待中一', '等待中二']);
        expect(rows[1]?.tx).toBe(rows[2]?.tx);
        expect(rows[0]?.tx).not.toBe(rows[1]?.tx);
      } finally {
        await client.end();
      }
    } finally {
      if (!isClosed) await node.close();
    }
  });
});

async function storedIds(conversationId: string): Promise<string[]> {
  const { rows } = await runtime.deps.pool.query<{ id: string }>('SELECT id FROM messages WHERE conversation_id = $1', [conversationId]);
  return rows.map((row) => row.id);
}
