import type { ChatMessage } from '@okpay/contracts';

/** A message the customer wrote that the server has not confirmed yet. */
export type Outgoing = {
  clientMessageId: string;
  body: string;
  /** An image being sent: a local preview until the server has it, then its attachment id. */
  image: { previewUrl: string; fileName: string; attachmentId: string | null } | null;
  /** `sending` retries by itself; `failed` waits for the customer to press retry. */
  state: 'sending' | 'failed';
  attempts: number;
  /** The server's own words when it refused the message (a refusal is not retried by itself). */
  error: string | null;
  createdAt: number;
};

/**
 * One conversation as the widget knows it. Messages are kept by id, so a message heard twice (the
 * live event and the resume answer, or the send ack and its echo) is shown once, in seq order.
 */
export type Thread = {
  conversationId: string;
  messages: ReadonlyMap<string, ChatMessage>;
  outgoing: ReadonlyMap<string, Outgoing>;
  /** Highest seq known to have no unseen message before it: where the next resume starts. */
  cursor: number;
  /** True once a resume has answered on the current connection; live events only then move the cursor. */
  isSynced: boolean;
  /** How far an agent has read (read receipts on the customer's own messages). */
  agentReadSeq: number;
  /** How far the customer has seen, for the unread badge. */
  seenSeq: number;
};

/** Automatic tries before a message is shown as "not sent" with a retry button. */
export const maxAutomaticAttempts = 3;

/**
 * Resume asks again for a few messages before the cursor: two messages committed at the same
 * moment can be broadcast out of order across nodes, and asking twice costs nothing (ids dedupe).
 */
export const resumeOverlap = 20;

const customerAuthors = new Set<ChatMessage['authorType']>(['customer', 'visitor']);

export function isOwnMessage(message: ChatMessage): boolean {
  return customerAuthors.has(message.authorType);
}

export function createThread(conversationId: string, seenSeq = 0): Thread {
  return { conversationId, messages: new Map(), outgoing: new Map(), cursor: 0, isSynced: false, agentReadSeq: 0, seenSeq };
}

function highestSeq(messages: Iterable<ChatMessage>): number {
  let highest = 0;
  for (const message of messages) highest = Math.max(highest, message.seq);
  return highest;
}

/**
 * Adds messages from any source. A message that answers one of ours (same clientMessageId)
 * replaces the pending copy. Only live messages on a synced connection move the cursor: before the
 * resume answers, a live message may have overtaken messages the resume is still fetching.
 */
export function mergeMessages(thread: Thread, incoming: readonly ChatMessage[], source: 'live' | 'ack'): Thread {
  const relevant = incoming.filter((message) => message.conversationId === thread.conversationId && !message.isInternal);
  if (relevant.length === 0) return thread;
  const messages = new Map(thread.messages);
  const outgoing = new Map(thread.outgoing);
  for (const message of relevant) {
    messages.set(message.id, message);
    if (message.clientMessageId) outgoing.delete(message.clientMessageId);
  }
  const cursor = source === 'live' && thread.isSynced ? Math.max(thread.cursor, highestSeq(relevant)) : thread.cursor;
  return { ...thread, messages, outgoing, cursor };
}

/** The resume answer: everything after `afterSeq` up to the conversation's last seq, so the cursor can move there. */
export function applyResume(thread: Thread, resumed: readonly ChatMessage[], lastMessageSeq: number, agentReadSeq: number): Thread {
  const merged = mergeMessages(thread, resumed, 'ack');
  return {
    ...merged,
    cursor: Math.max(merged.cursor, lastMessageSeq, highestSeq(resumed)),
    isSynced: true,
    agentReadSeq: Math.max(merged.agentReadSeq, agentReadSeq),
  };
}

/** The connection dropped: live events can be missed from here until the next resume answers. */
export function markUnsynced(thread: Thread): Thread {
  return thread.isSynced ? { ...thread, isSynced: false } : thread;
}

export function resumeAfterSeq(thread: Thread): number {
  return Math.max(0, thread.cursor - resumeOverlap);
}

export function addOutgoing(
  thread: Thread,
  input: { clientMessageId: string; body: string; image?: Outgoing['image']; now: number },
): Thread {
  const outgoing = new Map(thread.outgoing);
  outgoing.set(input.clientMessageId, {
    clientMessageId: input.clientMessageId,
    body: input.body,
    image: input.image ?? null,
    state: 'sending',
    attempts: 0,
    error: null,
    createdAt: input.now,
  });
  return { ...thread, outgoing };
}

function updateOutgoing(thread: Thread, clientMessageId: string, change: (item: Outgoing) => Outgoing): Thread {
  const item = thread.outgoing.get(clientMessageId);
  if (!item) return thread;
  const outgoing = new Map(thread.outgoing);
  outgoing.set(clientMessageId, change(item));
  return { ...thread, outgoing };
}

/** The image is on the server: later tries send the same attachment instead of uploading again. */
export function attachUploaded(thread: Thread, clientMessageId: string, attachmentId: string): Thread {
  return updateOutgoing(thread, clientMessageId, (item) => (item.image ? { ...item, image: { ...item.image, attachmentId } } : item));
}

/**
 * A try went unanswered (time-out or lost connection): keep sending on our own a few times, then
 * ask the customer. A refusal by the server (`error`) is final until the customer retries.
 */
export function sendAttemptFailed(thread: Thread, clientMessageId: string, error: string | null = null): Thread {
  return updateOutgoing(thread, clientMessageId, (item) => {
    const attempts = item.attempts + 1;
    const isFinal = error !== null || attempts >= maxAutomaticAttempts;
    return { ...item, attempts, error, state: isFinal ? 'failed' : 'sending' };
  });
}

/** The customer pressed retry: same clientMessageId, so the server stores it at most once. */
export function retryOutgoing(thread: Thread, clientMessageId: string): Thread {
  return updateOutgoing(thread, clientMessageId, (item) => ({ ...item, state: 'sending', attempts: 0, error: null }));
}

export function discardOutgoing(thread: Thread, clientMessageId: string): Thread {
  if (!thread.outgoing.has(clientMessageId)) return thread;
  const outgoing = new Map(thread.outgoing);
  outgoing.delete(clientMessageId);
  return { ...thread, outgoing };
}

/** What to (re)send now, oldest first. */
export function pendingSends(thread: Thread): Outgoing[] {
  return [...thread.outgoing.values()].filter((item) => item.state === 'sending').sort((left, right) => left.createdAt - right.createdAt);
}

export type TimelineItem = { kind: 'message'; message: ChatMessage } | { kind: 'outgoing'; outgoing: Outgoing };

/** Confirmed messages in seq order, then the customer's unconfirmed ones in the order written. */
export function timeline(thread: Thread): TimelineItem[] {
  const confirmed = [...thread.messages.values()].sort((left, right) => left.seq - right.seq);
  const pending = [...thread.outgoing.values()].sort((left, right) => left.createdAt - right.createdAt);
  return [
    ...confirmed.map((message) => ({ kind: 'message' as const, message })),
    ...pending.map((outgoing) => ({ kind: 'outgoing' as const, outgoing })),
  ];
}

export function lastSeq(thread: Thread): number {
  return highestSeq(thread.messages.values());
}

/** Messages from the agent side the customer has not seen yet. */
export function unreadCount(thread: Thread): number {
  let count = 0;
  for (const message of thread.messages.values()) if (!isOwnMessage(message) && message.seq > thread.seenSeq) count++;
  return count;
}

export function markSeen(thread: Thread, seq = lastSeq(thread)): Thread {
  return seq > thread.seenSeq ? { ...thread, seenSeq: seq } : thread;
}

export function applyAgentRead(thread: Thread, seq: number): Thread {
  return seq > thread.agentReadSeq ? { ...thread, agentReadSeq: seq } : thread;
}

export function isReadByAgent(thread: Thread, message: ChatMessage): boolean {
  return isOwnMessage(message) && message.seq <= thread.agentReadSeq;
}
