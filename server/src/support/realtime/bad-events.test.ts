import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { hostileText, hostileValue } from '../../test/openapi-fuzz.js';
import { clientMessageId, connect, createAgent, createChatCustomer, listen, request } from '../../test/realtime.js';
import { startTestRuntime } from '../../test/runtime.js';

let runtime: Runtime;
let baseUrl: string;
let customer: Socket;
let agent: Socket;
let conversationId: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  baseUrl = await listen(runtime);
  customer = await connect(baseUrl, (await createChatCustomer(runtime)).token);
  agent = await connect(baseUrl, (await createAgent(runtime)).token);
  const started = await request<{ conversation: { id: string } }>(customer, 'conversation:start', { category: 'other' });
  conversationId = started.conversation.id;
});
afterAll(async () => {
  customer?.disconnect();
  agent?.disconnect();
  await runtime?.close();
});

type Refusal = { error: { code: string; message: string; details?: Array<{ field: string; code: string }> } };

const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: deep(depth - 1) });

describe('bad input on socket events', () => {
  it.each<[string, string, unknown]>([
    ['a NUL in a message', 'message:send', { body: 'a\u0000b' }],
    ['a lone surrogate in a message', 'message:send', { body: '\ud83d' }],
    ['a number for a payload', 'message:send', 42],
    ['a string for a payload', 'conversation:resume', 'hello'],
    ['an array for a payload', 'typing', [1, 2, 3]],
    ['a conversation id that is not one', 'read', { conversationId: 'not-an-id', seq: 1 }],
    ['a negative sequence number', 'conversation:resume', { afterSeq: -1 }],
    ['deep nesting', 'conversation:start', { category: 'other', links: deep(200) }],
    ['a NUL in a start message', 'conversation:start', { category: 'other', message: 'x\u0000', clientMessageId: 'abcdefgh' }],
  ])('acks %s with the error shape and keeps the socket', async (_label, event, payload) => {
    const withConversation =
      payload && typeof payload === 'object' && !Array.isArray(payload) && event !== 'conversation:start'
        ? { conversationId, clientMessageId: clientMessageId(), ...payload }
        : payload;
    const answer = await request<Refusal>(customer, event, withConversation);
    expect(answer.error.code).toBe('validation_failed');
    expect(answer.error.message.length).toBeGreaterThan(0);
    expect(customer.connected).toBe(true);
  });

  it('names the refused text field and its reason', async () => {
    const answer = await request<Refusal>(customer, 'message:send', {
      conversationId,
      clientMessageId: clientMessageId(),
      body: 'a\u0000b',
    });
    expect(answer.error.details).toEqual([expect.objectContaining({ field: 'payload.body', code: 'invalid_text' })]);
  });

  it('answers an event the socket may not send, or that does not exist, with not_found', async () => {
    expect(await request<Refusal>(customer, 'presence:set', { status: 'online' })).toMatchObject({ error: { code: 'not_found' } });
    expect(await request<Refusal>(agent, 'conversation:start', { category: 'other' })).toMatchObject({ error: { code: 'not_found' } });
    expect(await request<Refusal>(customer, 'no-such-event', {})).toMatchObject({ error: { code: 'not_found' } });
    expect(await request<Refusal>(customer, 'voice:answer', { callId: conversationId })).toMatchObject({ error: { code: 'not_found' } });
    expect(await request<Refusal>(agent, 'voice:start', {})).toMatchObject({ error: { code: 'not_found' } });
  });

  it('still answers the next good message', async () => {
    const answer = await request<{ message: { body: string } }>(customer, 'message:send', {
      conversationId,
      clientMessageId: clientMessageId(),
      body: '你好',
    });
    expect(answer.message.body).toBe('你好');
  });
});

describe('fuzzing socket events', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 8) * 10;
  const seed = Number(process.env.FUZZ_SEED ?? 20_260_301);

  it('acks every event, however bent its payload, with data or the error shape and never an internal error', async () => {
    const valid: Array<[who: 'customer' | 'agent', event: string, payload: () => Record<string, unknown>]> = [
      ['customer', 'message:send', () => ({ conversationId, clientMessageId: clientMessageId(), body: '你好' })],
      ['customer', 'conversation:resume', () => ({ conversationId, afterSeq: 0 })],
      ['customer', 'typing', () => ({ conversationId, isTyping: true })],
      ['customer', 'read', () => ({ conversationId, seq: 1 })],
      ['customer', 'conversation:leave', () => ({ conversationId })],
      ['agent', 'presence:set', () => ({ status: 'away' })],
      ['agent', 'conversation:open', () => ({ conversationId, afterSeq: 0 })],
      ['customer', 'voice:start', () => ({ category: 'account', links: [] })],
      [
        'customer',
        'voice:signal',
        () => ({ callId: conversationId, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } }),
      ],
      ['customer', 'voice:end', () => ({ callId: conversationId, reason: 'hang_up' })],
      ['customer', 'voice:mute', () => ({ callId: conversationId, isMuted: true })],
      ['customer', 'voice:rejoin', () => ({ callId: conversationId, hasMedia: true })],
      ['agent', 'voice:answer', () => ({ callId: conversationId })],
      ['agent', 'voice:hold', () => ({ callId: conversationId, isOnHold: true })],
      ['agent', 'voice:transfer', () => ({ callId: conversationId, agentId: null })],
      ['agent', 'voice:signal', () => ({ callId: conversationId, description: { type: 'answer', sdp: 'v=0' } })],
    ];
    const bent = fc
      .tuple(fc.constantFrom(...valid), fc.nat(), hostileValue, hostileText)
      .map(([[who, event, payload], pick, value, key]) => {
        const fields = payload();
        const names = Object.keys(fields);
        const name = names[pick % names.length] as string;
        const bends = [
          { ...fields, [name]: value },
          value,
          { ...fields, [key]: 1 },
          Object.fromEntries(names.filter((other) => other !== name).map((other) => [other, fields[other]])),
        ];
        return { socket: who === 'customer' ? customer : agent, event, payload: bends[pick % bends.length] };
      });
    await fc.assert(
      fc.asyncProperty(bent, async ({ socket, event, payload }) => {
        const answer = await request<{ error?: { code: string; message: string } }>(socket, event, payload);
        expect(answer, `${event} ${JSON.stringify(payload)?.slice(0, 200)}`).toBeTypeOf('object');
        if (answer.error) {
          expect(answer.error.code, `${event} ${JSON.stringify(payload)?.slice(0, 200)}`).not.toBe('internal_error');
          expect(answer.error.message.length).toBeGreaterThan(0);
        }
        expect(socket.connected).toBe(true);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  }, 60_000);
});
