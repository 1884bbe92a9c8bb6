import type { ChatMessage } from '@okpay/contracts';

/** A reply or note on its way: shown at once, replaced by the stored message when the server has it. */
export type PendingSend = {
  clientMessageId: string;
  body: string;
  isInternal: boolean;
  state: 'sending' | 'failed';
  error?: string;
  /** Refused for good (the conversation was closed, say): only the agent's own retry sends it again. */
  isRefused?: boolean;
  createdAt: string;
};

export type Thread = { messages: ChatMessage[]; pending: PendingSend[] };

export const emptyThread: Thread = { messages: [], pending: [] };

/**
 * Adds messages by id, so a message heard twice (live, then again in a catch-up) shows once, and
 * keeps them in sequence order whatever order they arrived in. A stored message replaces the
 * pending copy that carried its clientMessageId.
 */
export function mergeMessages(thread: Thread, incoming: readonly ChatMessage[]): Thread {
  if (incoming.length === 0) return thread;
  const byId = new Map(thread.messages.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  const messages = [...byId.values()].sort((left, right) => left.seq - right.seq);
  const stored = new Set(incoming.map((message) => message.clientMessageId).filter((id): id is string => id !== null));
  const pending = thread.pending.filter((send) => !stored.has(send.clientMessageId));
  return { messages, pending };
}

/**
 * The highest sequence number up to which nothing is missing. Staff see every message, internal
 * notes included, so a conversation's numbers run 1, 2, 3… without holes; a hole means a message
 * was missed (or is still on its way) and is what a catch-up must ask after.
 */
export function contiguousSeq(messages: readonly ChatMessage[]): number {
  let expected = 1;
  for (const message of messages) {
    if (message.seq === expected) expected += 1;
    else if (message.seq > expected) break;
  }
  return expected - 1;
}

export function lastSeq(messages: readonly ChatMessage[]): number {
  return messages.at(-1)?.seq ?? 0;
}

export function isFromCustomer(message: Pick<ChatMessage, 'authorType'>): boolean {
  return message.authorType === 'customer' || message.authorType === 'visitor';
}

export function latestCustomerSeq(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message && isFromCustomer(message)) return message.seq;
  }
  return 0;
}

/** A client id for a send; the server stores a retried id once. */
export function newClientMessageId(): string {
  return crypto.randomUUID();
}
