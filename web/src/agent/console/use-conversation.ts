import type { ChatMessage } from '@okpay/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ConversationDetail, getConversation, markConversationRead, postConversationMessage } from '../../api/agent-console';
import { ApiError, messageOf } from '../../api/client';
import { useConnectionCount, useConsoleConnection, useConsoleEvent } from './console-context';
import { contiguousSeq, emptyThread, latestCustomerSeq, mergeMessages, newClientMessageId, type Thread } from './thread';

type Detail = Omit<ConversationDetail, 'messages'>;

export type OpenConversation = {
  detail: Detail | undefined;
  thread: Thread;
  isLoading: boolean;
  error: string | undefined;
  /** How far the customer has read our messages, from their live read receipts. */
  customerReadSeq: number;
  isCustomerTyping: boolean;
  send(body: string, isInternal: boolean): void;
  retry(clientMessageId: string): void;
  /** Asks the server again for the conversation's fields and timeline (after a change made here). */
  refresh(): Promise<void>;
  /**
   * Resolves once the messages written so far have their answer (stored, or failed). A change made
   * after them (resolving the conversation) waits for it: it goes by HTTP, apart from the messages,
   * and could otherwise reach the server first, ending the conversation before the reply in it.
   */
  settled(): Promise<void>;
};

// Refusals a retry cannot fix; anything else (the network, a timeout) is tried again.
const finalRefusals = new Set(['conversation_closed', 'conversation_not_found', 'validation_failed', 'forbidden', 'message_empty']);
const maxAutomaticTries = 3;
const catchUpPageSize = 1000;

/**
 * The conversation on screen. It loads over HTTP, then joins the conversation's room with
 * `conversation:open { afterSeq }` so it hears everything after what it already has; on every
 * reconnect, and whenever a live message reveals a gap in the sequence numbers, it asks again from
 * the last number up to which nothing is missing. Messages merge by id, so nothing shows twice.
 */
export function useOpenConversation(
  conversationId: string | undefined,
  options: { onRead(conversationId: string): void },
): OpenConversation {
  const connection = useConsoleConnection();
  const connectionCount = useConnectionCount();
  const [detail, setDetail] = useState<Detail>();
  const [thread, setThread] = useState<Thread>(emptyThread);
  const [isLoading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [customerReadSeq, setCustomerReadSeq] = useState(0);
  const [isCustomerTyping, setCustomerTyping] = useState(false);
  const threadRef = useRef(thread);
  threadRef.current = thread;
  const currentId = useRef(conversationId);
  currentId.current = conversationId;
  const [isLoaded, setLoaded] = useState(false);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const merge = useCallback((id: string, messages: readonly ChatMessage[]) => {
    if (currentId.current !== id) return;
    setThread((previous) => {
      const next = mergeMessages(previous, messages);
      threadRef.current = next;
      return next;
    });
  }, []);

  // Load the conversation when it is chosen.
  useEffect(() => {
    setDetail(undefined);
    setThread(emptyThread);
    threadRef.current = emptyThread;
    setCustomerReadSeq(0);
    setCustomerTyping(false);
    setError(undefined);
    setLoaded(false);
    if (!conversationId) return;
    let isCurrent = true;
    setLoading(true);
    getConversation(conversationId).then(
      ({ messages, ...rest }) => {
        if (!isCurrent) return;
        setDetail(rest);
        merge(conversationId, messages);
        setLoaded(true);
        setLoading(false);
      },
      (caught: unknown) => {
        if (!isCurrent) return;
        setError(messageOf(caught));
        setLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [conversationId, merge]);

  /** Joins the room and fetches everything after the last unbroken sequence number. */
  const catchUp = useCallback(async () => {
    const id = currentId.current;
    if (!id || !connection.isConnected) return;
    try {
      for (;;) {
        const afterSeq = contiguousSeq(threadRef.current.messages);
        const answer = await connection.request('conversation:open', { conversationId: id, afterSeq });
        merge(id, answer.messages);
        if (answer.messages.length < catchUpPageSize || currentId.current !== id) break;
      }
    } catch {
      // The next reconnect catches up.
    }
  }, [connection, merge]);

  // Join once loaded, again after every reconnect, and leave when another conversation is chosen.
  useEffect(() => {
    if (!conversationId || !isLoaded || connectionCount === 0) return;
    void catchUp();
  }, [conversationId, isLoaded, connectionCount, catchUp]);
  useEffect(() => {
    if (!conversationId) return;
    return () => {
      if (connection.isConnected) void connection.request('conversation:leave', { conversationId }).catch(() => undefined);
    };
  }, [conversationId, connection]);

  const gapTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useConsoleEvent('message', (message) => {
    if (message.conversationId !== currentId.current) return;
    merge(message.conversationId, [message]);
    if (message.authorType === 'customer' || message.authorType === 'visitor') setCustomerTyping(false);
    // A hole before this message: give a message still on its way a moment, then ask for what is missing.
    clearTimeout(gapTimer.current);
    gapTimer.current = setTimeout(() => {
      const messages = threadRef.current.messages;
      if (contiguousSeq(messages) < (messages.at(-1)?.seq ?? 0)) void catchUp();
    }, 500);
  });
  useEffect(() => () => clearTimeout(gapTimer.current), []);

  const refresh = useCallback(async () => {
    const id = currentId.current;
    if (!id) return;
    try {
      const { messages, ...rest } = await getConversation(id);
      if (currentId.current !== id) return;
      setDetail(rest);
      merge(id, messages);
    } catch {
      // The view keeps what it has; the next update tries again.
    }
  }, [merge]);

  useConsoleEvent('sla:changed', (event) => {
    if (event.conversationId !== currentId.current) return;
    setDetail((previous) => previous && { ...previous, conversation: { ...previous.conversation, sla: event.clocks } });
  });

  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useConsoleEvent('conversation:updated', (event) => {
    if (event.conversationId !== currentId.current) return;
    // The event carries the fields; the timeline entry behind it comes with the conversation.
    setDetail(
      (previous) =>
        previous && {
          ...previous,
          conversation: {
            ...previous.conversation,
            status: event.status,
            category: event.category,
            priority: event.priority,
            assigneeId: event.assigneeId,
            assigneeName: event.assigneeId === null ? null : (event.agent?.name ?? previous.conversation.assigneeName),
          },
        },
    );
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void refresh(), 300);
  });
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  useConsoleEvent('read', (event) => {
    if (event.conversationId === currentId.current && event.readerType !== 'staff') {
      setCustomerReadSeq((previous) => Math.max(previous, event.seq));
    }
  });

  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useConsoleEvent('typing', (event) => {
    if (event.conversationId !== currentId.current || event.from !== 'customer') return;
    setCustomerTyping(event.isTyping);
    clearTimeout(typingTimer.current);
    // A lost "stopped typing" must not leave the indicator on for ever.
    if (event.isTyping) typingTimer.current = setTimeout(() => setCustomerTyping(false), 6_000);
  });
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  // Read receipts: while the conversation is on screen and the tab visible, tell the customer (and the inbox).
  const readSent = useRef<{ id: string | undefined; seq: number }>({ id: undefined, seq: 0 });
  const markRead = useCallback(() => {
    const id = currentId.current;
    if (!id || document.visibilityState !== 'visible') return;
    const seq = latestCustomerSeq(threadRef.current.messages);
    const sent = readSent.current;
    if (seq === 0 || (sent.id === id && sent.seq >= seq)) return;
    readSent.current = { id, seq };
    const request = connection.isConnected ? connection.request('read', { conversationId: id, seq }) : markConversationRead(id, seq);
    request.then(
      () => optionsRef.current.onRead(id),
      () => {
        // Try again with the next message or visibility change.
        if (readSent.current.id === id) readSent.current = { id, seq: 0 };
      },
    );
  }, [connection]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: markRead reads the messages from a ref; a new message is the moment to call it.
  useEffect(() => {
    if (isLoaded) markRead();
  }, [isLoaded, thread.messages, markRead]);
  useEffect(() => {
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [markRead]);

  const attempt = useCallback(
    async (id: string, clientMessageId: string) => {
      for (let tries = 1; ; tries++) {
        const pending = threadRef.current.pending.find((send) => send.clientMessageId === clientMessageId);
        if (!pending || currentId.current !== id) return;
        const payload = { conversationId: id, body: pending.body, clientMessageId, isInternal: pending.isInternal };
        try {
          const message = connection.isConnected
            ? (await connection.request('message:send', payload)).message
            : await postConversationMessage(id, { body: pending.body, isInternal: pending.isInternal, clientMessageId });
          merge(id, [message]);
          return;
        } catch (caught) {
          if (currentId.current !== id) return;
          const isFinal = caught instanceof ApiError && finalRefusals.has(caught.code);
          if (!isFinal && tries < maxAutomaticTries) {
            await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** (tries - 1)));
            continue;
          }
          setThread((previous) => ({
            ...previous,
            pending: previous.pending.map((send) =>
              send.clientMessageId === clientMessageId ? { ...send, state: 'failed', error: messageOf(caught), isRefused: isFinal } : send,
            ),
          }));
          return;
        }
      }
    },
    [connection, merge],
  );

  // One send at a time, in the order written (retries included): the server numbers messages in
  // the order they reach it, so a message must not overtake the one before it.
  const sends = useRef<Promise<void>>(Promise.resolve());
  const enqueue = useCallback(
    (id: string, clientMessageId: string) => {
      sends.current = sends.current.then(() => attempt(id, clientMessageId)).catch(() => undefined);
    },
    [attempt],
  );

  const send = useCallback(
    (body: string, isInternal: boolean) => {
      const id = currentId.current;
      if (!id) return;
      const clientMessageId = newClientMessageId();
      const pending = { clientMessageId, body, isInternal, state: 'sending' as const, createdAt: new Date().toISOString() };
      const next = { ...threadRef.current, pending: [...threadRef.current.pending, pending] };
      threadRef.current = next;
      setThread(next);
      enqueue(id, clientMessageId);
    },
    [enqueue],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const id = currentId.current;
      if (!id) return;
      const next = {
        ...threadRef.current,
        pending: threadRef.current.pending.map((send) =>
          send.clientMessageId === clientMessageId ? { ...send, state: 'sending' as const, error: undefined } : send,
        ),
      };
      threadRef.current = next;
      setThread(next);
      enqueue(id, clientMessageId);
    },
    [enqueue],
  );

  // Back online: what failed for want of a connection goes again by itself, under the same client ids.
  useEffect(() => {
    if (connectionCount < 2) return;
    for (const send of threadRef.current.pending) if (send.state === 'failed' && !send.isRefused) retry(send.clientMessageId);
  }, [connectionCount, retry]);

  const settled = useCallback(() => sends.current, []);

  // Right after another conversation is chosen, and before the effects above have reset, show nothing of the previous one.
  const isCurrent = detail?.conversation.id === conversationId;
  return {
    detail: isCurrent ? detail : undefined,
    thread: isCurrent ? thread : emptyThread,
    isLoading,
    error,
    customerReadSeq,
    isCustomerTyping,
    send,
    retry,
    refresh,
    settled,
  };
}
