import type { ChatMessage } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import {
  addOutgoing,
  applyAgentRead,
  applyResume,
  attachUploaded,
  createThread,
  discardOutgoing,
  isReadByAgent,
  markSeen,
  markUnsynced,
  maxAutomaticAttempts,
  mergeMessages,
  pendingSends,
  resumeAfterSeq,
  resumeOverlap,
  retryOutgoing,
  sendAttemptFailed,
  type Thread,
  timeline,
  unreadCount,
} from './thread';

const conversationId = '8f0b7c3e-4d2a-4f3b-9d7e-2a1b3c4d5e6f';

function message(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m-${seq}`,
    conversationId,
    seq,
    authorType: 'agent',
    authorName: '李客服',
    body: `第 ${seq} 条`,
    isInternal: false,
    redactions: null,
    attachment: null,
    clientMessageId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 8, 0, seq)).toISOString(),
    ...overrides,
  };
}

function bodies(thread: Thread): string[] {
  return timeline(thread).map((item) => (item.kind === 'message' ? item.message.body : `(${item.outgoing.state}) ${item.outgoing.body}`));
}

function synced(messages: ChatMessage[] = [], lastMessageSeq = 0): Thread {
  return applyResume(createThread(conversationId), messages, lastMessageSeq, 0);
}

describe('merging messages', () => {
  it('shows messages in seq order whatever order they arrive in', () => {
    const thread = mergeMessages(synced(), [message(3), message(1), message(2)], 'live');
    expect(bodies(thread)).toEqual(['第 1 条', '第 2 条', '第 3 条']);
  });

  it('shows a message heard twice (live event and resume answer) once', () => {
    let thread = mergeMessages(synced(), [message(1), message(2)], 'live');
    thread = applyResume(markUnsynced(thread), [message(2), message(3)], 3, 0);
    thread = mergeMessages(thread, [message(3)], 'live');
    expect(bodies(thread)).toEqual(['第 1 条', '第 2 条', '第 3 条']);
  });

  it('ignores internal notes and other conversations', () => {
    const thread = mergeMessages(
      synced(),
      [message(1), message(2, { isInternal: true, body: '内部备注' }), message(3, { conversationId: 'other' })],
      'live',
    );
    expect(bodies(thread)).toEqual(['第 1 条']);
  });

  it('replaces the pending copy of our own message when its echo arrives, before or after the ack', () => {
    let thread = addOutgoing(synced(), { clientMessageId: 'client-0001', body: '充值失败了', now: 1 });
    expect(bodies(thread)).toEqual(['(sending) 充值失败了']);
    const stored = message(1, { authorType: 'visitor', body: '充值失败了', clientMessageId: 'client-0001' });
    thread = mergeMessages(thread, [stored], 'live');
    thread = mergeMessages(thread, [stored], 'ack');
    expect(bodies(thread)).toEqual(['充值失败了']);
    expect(thread.outgoing.size).toBe(0);
  });

  it('keeps unconfirmed messages after the confirmed ones, in the order they were written', () => {
    let thread = mergeMessages(synced(), [message(1)], 'live');
    thread = addOutgoing(thread, { clientMessageId: 'client-0002', body: 'second', now: 20 });
    thread = addOutgoing(thread, { clientMessageId: 'client-0001', body: 'first', now: 10 });
    expect(bodies(thread)).toEqual(['第 1 条', '(sending) first', '(sending) second']);
  });
});

describe('the resume cursor', () => {
  it('moves to the last seq the resume answer covers, internal notes included', () => {
    const thread = synced([message(1), message(3)], 4);
    expect(thread.cursor).toBe(4);
    expect(thread.isSynced).toBe(true);
  });

  it('does not move on live messages heard before the resume has answered', () => {
    const offline = markUnsynced(synced([message(1)], 1));
    const overtaken = mergeMessages(offline, [message(9)], 'live');
    expect(overtaken.cursor).toBe(1);
    expect(bodies(overtaken)).toContain('第 9 条');
  });

  it('moves on live messages once synced, and never backwards', () => {
    let thread = mergeMessages(synced([], 0), [message(5)], 'live');
    expect(thread.cursor).toBe(5);
    thread = mergeMessages(thread, [message(2)], 'live');
    expect(thread.cursor).toBe(5);
  });

  it('does not move on our own send acks, which may overtake an agent message still on its way', () => {
    const thread = mergeMessages(synced([], 2), [message(7, { authorType: 'visitor' })], 'ack');
    expect(thread.cursor).toBe(2);
  });

  it('asks again for a few messages before the cursor, and never below zero', () => {
    expect(resumeAfterSeq(synced([], 100))).toBe(100 - resumeOverlap);
    expect(resumeAfterSeq(synced([], 3))).toBe(0);
  });

  it('loses nothing across a reconnect in the middle of a burst', () => {
    let thread = synced([], 0);
    for (let seq = 1; seq <= 120; seq++) thread = mergeMessages(thread, [message(seq)], 'live');
    thread = markUnsynced(thread);
    // While disconnected 121–130 were missed; after reconnecting, 135 arrives live before the resume answers.
    thread = mergeMessages(thread, [message(135)], 'live');
    const resumed = Array.from({ length: 135 - resumeAfterSeq(thread) }, (_, index) => message(resumeAfterSeq(thread) + index + 1));
    thread = applyResume(thread, resumed, 135, 0);
    const seqs = timeline(thread).map((item) => (item.kind === 'message' ? item.message.seq : -1));
    expect(seqs).toEqual(Array.from({ length: 135 }, (_, index) => index + 1));
  });
});

describe('sending with retries', () => {
  const start = () => addOutgoing(synced(), { clientMessageId: 'client-0001', body: 'hello', now: 1 });

  it('keeps trying on its own until the automatic attempts run out, then waits for retry', () => {
    let thread = start();
    for (let attempt = 1; attempt < maxAutomaticAttempts; attempt++) {
      thread = sendAttemptFailed(thread, 'client-0001');
      expect(thread.outgoing.get('client-0001')?.state).toBe('sending');
    }
    thread = sendAttemptFailed(thread, 'client-0001');
    expect(thread.outgoing.get('client-0001')?.state).toBe('failed');
    expect(pendingSends(thread)).toEqual([]);
  });

  it('stops at once when the server refuses, and keeps its reason', () => {
    const thread = sendAttemptFailed(start(), 'client-0001', '消息不能为空');
    expect(thread.outgoing.get('client-0001')).toMatchObject({ state: 'failed', error: '消息不能为空' });
  });

  it('retries with the same clientMessageId', () => {
    let thread = sendAttemptFailed(start(), 'client-0001', 'refused');
    thread = retryOutgoing(thread, 'client-0001');
    expect(pendingSends(thread).map((item) => [item.clientMessageId, item.state, item.error])).toEqual([['client-0001', 'sending', null]]);
  });

  it('remembers an uploaded image so a retry does not upload it again', () => {
    let thread = addOutgoing(synced(), {
      clientMessageId: 'client-0003',
      body: '',
      image: { previewUrl: 'blob:x', fileName: 'receipt.png', attachmentId: null },
      now: 1,
    });
    thread = attachUploaded(thread, 'client-0003', 'attachment-1');
    expect(thread.outgoing.get('client-0003')?.image?.attachmentId).toBe('attachment-1');
  });
});

describe('unread and read receipts', () => {
  it('counts agent messages after what the customer has seen, not their own', () => {
    let thread = mergeMessages(synced(), [message(1), message(2, { authorType: 'visitor' }), message(3)], 'live');
    expect(unreadCount(thread)).toBe(2);
    thread = markSeen(thread);
    expect(unreadCount(thread)).toBe(0);
    thread = mergeMessages(thread, [message(4, { authorType: 'system' })], 'live');
    expect(unreadCount(thread)).toBe(1);
  });

  it('marks own messages read up to the agent’s read seq, which never goes back', () => {
    let thread = mergeMessages(synced(), [message(1, { authorType: 'customer' }), message(2, { authorType: 'customer' })], 'live');
    thread = applyAgentRead(thread, 1);
    thread = applyAgentRead(thread, 0);
    const [first, second] = [...thread.messages.values()];
    expect(first && isReadByAgent(thread, first)).toBe(true);
    expect(second && isReadByAgent(thread, second)).toBe(false);
  });
});

describe('discarding', () => {
  it('drops a message the customer gave up on, and nothing else', () => {
    let thread = addOutgoing(synced(), { clientMessageId: 'client-0001', body: 'one', now: 1 });
    thread = addOutgoing(thread, { clientMessageId: 'client-0002', body: 'two', now: 2 });
    thread = discardOutgoing(sendAttemptFailed(thread, 'client-0001', 'refused'), 'client-0001');
    expect(bodies(thread)).toEqual(['(sending) two']);
    expect(discardOutgoing(thread, 'unknown')).toBe(thread);
  });
});
