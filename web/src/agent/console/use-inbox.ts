import { type ChatMessage, type ConversationCategory, slaSummaryOf } from '@okpay/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type InboxCounts, type InboxFilters, type InboxItem, type InboxSort, type InboxView, listInbox } from '../../api/agent-console';
import { messageOf } from '../../api/client';
import type { ConversationUpdatedEvent } from './console-connection';
import { useConnectionCount, useConsoleEvent } from './console-context';
import { isFromCustomer } from './thread';

/** The server's order: the queue first (longest waiting on top), then the most recently active. */
const isLive = (status: string) => status === 'open' || status === 'pending';

export function sortInbox(items: InboxItem[], sort: InboxSort = 'activity'): InboxItem[] {
  return [...items].sort((left, right) => {
    if (sort === 'due') {
      // Breached first, then past the warning share, then the SLA due first; the rest keep the usual order.
      const riskOrder = { breached: 0, warning: 1, ok: 2 } as const;
      const leftRisk = isLive(left.status) && left.sla?.state === 'running' ? riskOrder[left.sla.risk] : 3;
      const rightRisk = isLive(right.status) && right.sla?.state === 'running' ? riskOrder[right.sla.risk] : 3;
      if (leftRisk !== rightRisk) return leftRisk - rightRisk;
      const leftDue = isLive(left.status) ? (left.sla?.dueAt ?? null) : null;
      const rightDue = isLive(right.status) ? (right.sla?.dueAt ?? null) : null;
      if (leftDue && rightDue && leftDue !== rightDue) return leftDue.localeCompare(rightDue);
      if (leftDue && !rightDue) return -1;
      if (rightDue && !leftDue) return 1;
    }
    if (left.waitingSince && right.waitingSince) return left.waitingSince.localeCompare(right.waitingSince);
    if (left.waitingSince) return -1;
    if (right.waitingSince) return 1;
    return right.updatedAt.localeCompare(left.updatedAt);
  });
}

/** Whether a conversation, as an update describes it, belongs in this view with these filters. */
function belongs(view: InboxView, filters: InboxFilters, event: ConversationUpdatedEvent, staffId: string): boolean {
  if (filters.status ? event.status !== filters.status : view !== 'all' && !isLive(event.status)) return false;
  if (filters.category && event.category !== filters.category) return false;
  if (view === 'mine') return event.assigneeId === staffId;
  if (view === 'unassigned') return event.assigneeId === null && isLive(event.status);
  return true;
}

export function previewOf(message: ChatMessage): string {
  return message.body || (message.attachment ? `[${message.attachment.fileName || 'image'}]` : '');
}

export type InboxNotice = { kind: 'assigned'; conversationId: string; category: ConversationCategory } | { kind: 'queued'; length: number };

export type Inbox = {
  items: InboxItem[];
  counts: InboxCounts | undefined;
  isLoading: boolean;
  error: string | undefined;
  reload(): Promise<void>;
  /** The open conversation was read: clear its unread count here without asking the server. */
  markSeen(conversationId: string): void;
};

/**
 * One inbox view, loaded over HTTP and kept current from socket events: a message moves its
 * conversation up with a preview and an unread count, updates change status and assignee in place,
 * and anything the event alone cannot place (a new chat, the queue) reloads the list shortly after.
 * Every reconnect reloads, since events may have been missed meanwhile.
 */
export function useInbox(
  view: InboxView,
  filters: InboxFilters,
  options: { staffId: string; openConversationId: string | undefined; onNotice(notice: InboxNotice): void },
): Inbox {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [counts, setCounts] = useState<InboxCounts>();
  const [isLoading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const latest = useRef(0);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const connectionCount = useConnectionCount();
  const { status, category, channel, q, sort } = filters;

  const load = useCallback(async () => {
    const call = ++latest.current;
    try {
      const answer = await listInbox(view, { status, category, channel, q, sort });
      if (call !== latest.current) return;
      setItems(sortInbox(answer.conversations, sort));
      setCounts(answer.counts);
      setError(undefined);
    } catch (caught) {
      if (call === latest.current) setError(messageOf(caught));
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, [view, status, category, channel, q, sort]);

  useEffect(() => {
    setLoading(true);
    setItems([]);
    void load();
  }, [load]);

  // Whatever happened while the socket was down is only on the server.
  const seenConnections = useRef(connectionCount);
  useEffect(() => {
    if (connectionCount === seenConnections.current) return;
    seenConnections.current = connectionCount;
    if (connectionCount > 1) void load();
  }, [connectionCount, load]);

  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reloadSoon = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void load(), 400);
  }, [load]);
  useEffect(() => () => clearTimeout(reloadTimer.current), []);

  useConsoleEvent('message', (message) => {
    const item = itemsRef.current.find((candidate) => candidate.id === message.conversationId);
    if (!item) {
      // A chat this list does not show yet; mine arrive by conversation:updated (assigned) instead.
      if (view !== 'mine') reloadSoon();
      return;
    }
    const isSeen = message.conversationId === optionsRef.current.openConversationId && document.visibilityState === 'visible';
    const isUnread = isFromCustomer(message) && !isSeen;
    const updated: InboxItem = {
      ...item,
      // The preview is what the customer saw last; a note does not replace it.
      lastMessage: message.isInternal
        ? item.lastMessage
        : { body: previewOf(message), authorType: message.authorType, at: message.createdAt },
      unread: isUnread ? item.unread + 1 : item.unread,
      updatedAt: message.createdAt.localeCompare(item.updatedAt) > 0 ? message.createdAt : item.updatedAt,
    };
    setItems((previous) =>
      sortInbox(
        previous.map((candidate) => (candidate.id === item.id ? updated : candidate)),
        sort,
      ),
    );
    if (isUnread && item.assigneeId === optionsRef.current.staffId) {
      setCounts((previous) => previous && { ...previous, mineUnread: previous.mineUnread + 1 });
    }
  });

  useConsoleEvent('sla:changed', (event) => {
    if (!itemsRef.current.some((candidate) => candidate.id === event.conversationId)) return;
    const sla = slaSummaryOf(event.clocks);
    setItems((previous) =>
      sortInbox(
        previous.map((candidate) => (candidate.id === event.conversationId ? { ...candidate, sla } : candidate)),
        sort,
      ),
    );
  });

  useConsoleEvent('conversation:updated', (event) => {
    const { staffId, openConversationId, onNotice } = optionsRef.current;
    const item = itemsRef.current.find((candidate) => candidate.id === event.conversationId);
    const isWanted = belongs(view, filters, event, staffId);
    if (item && !isWanted) {
      setItems((previous) => previous.filter((candidate) => candidate.id !== item.id));
    } else if (item) {
      const updated: InboxItem = {
        ...item,
        status: event.status,
        category: event.category,
        priority: event.priority,
        assigneeId: event.assigneeId,
        assigneeName:
          event.assigneeId === null ? null : (event.agent?.name ?? (event.assigneeId === item.assigneeId ? item.assigneeName : null)),
        waitingSince: event.waiting ? (item.waitingSince ?? new Date().toISOString()) : null,
      };
      setItems((previous) =>
        sortInbox(
          previous.map((candidate) => (candidate.id === item.id ? updated : candidate)),
          sort,
        ),
      );
    }
    const wasMine = item?.assigneeId === staffId;
    const isMine = event.assigneeId === staffId;
    if (isMine && !wasMine && event.change === 'assigned' && event.conversationId !== openConversationId) {
      onNotice({ kind: 'assigned', conversationId: event.conversationId, category: event.category });
    }
    // Counts and new rows come from the server; updates about colleagues' chats change neither here.
    if ((isWanted && !item) || isMine || wasMine || event.waiting || item?.assigneeId === null) reloadSoon();
  });

  const queueLength = useRef<number | undefined>(undefined);
  useConsoleEvent('queue:changed', (event) => {
    if (queueLength.current !== undefined && event.length > queueLength.current) {
      optionsRef.current.onNotice({ kind: 'queued', length: event.length });
    }
    queueLength.current = event.length;
    reloadSoon();
  });

  const markSeen = useCallback((conversationId: string) => {
    const item = itemsRef.current.find((candidate) => candidate.id === conversationId);
    if (!item || item.unread === 0) return;
    setItems((previous) => previous.map((candidate) => (candidate.id === conversationId ? { ...candidate, unread: 0 } : candidate)));
    if (item.assigneeId === optionsRef.current.staffId) {
      setCounts((previous) => previous && { ...previous, mineUnread: Math.max(0, previous.mineUnread - item.unread) });
    }
  }, []);

  return { items, counts, isLoading, error, reload: load, markSeen };
}
