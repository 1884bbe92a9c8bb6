import { QuestionCircleOutlined } from '@ant-design/icons';
import { type ConversationCategory, type ConversationStatus, conversationCategorySchema, conversationStatusSchema } from '@okpay/contracts';
import { App, Button, Drawer, Empty, Grid } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  type ConversationChannel,
  type InboxFilters,
  type InboxView,
  type LinkedObjectRef,
  listAgents,
  type StaffWithLoad,
  updateConversation,
} from '../api/agent-console';
import { messageOf } from '../api/client';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';
import { canSupervise } from './agent-layout';
import type { ComposerHandle } from './console/composer';
import { useConsoleEvent, useConsoleStaffId } from './console/console-context';
import { showAssignedNotice } from './console/console-notices';
import { ConversationPane } from './console/conversation-pane';
import { CustomerPanelColumn } from './console/customer-panel';
import { NewEmailDialog } from './console/email-parts';
import { customerNameOf, InboxColumn, visitorName } from './console/inbox-column';
import { ShortcutHelp, useShortcuts } from './console/shortcuts';
import { isFromCustomer } from './console/thread';
import { useOpenConversation } from './console/use-conversation';
import { type InboxNotice, useInbox } from './console/use-inbox';

const channelValues: ConversationChannel[] = ['chat', 'email', 'phone'];

function viewOf(value: string | null): InboxView {
  return value === 'unassigned' || value === 'all' ? value : 'mine';
}

/** Everyone on the team with presence and load, kept current as presence changes. */
function useAgents(): StaffWithLoad[] {
  const [agents, setAgents] = useState<StaffWithLoad[]>([]);
  const load = useCallback(() => {
    listAgents().then(
      (answer) => setAgents(answer.agents),
      () => undefined,
    );
  }, []);
  useEffect(load, [load]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const loadSoon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(load, 500);
  };
  useConsoleEvent('presence', loadSoon);
  useConsoleEvent('conversation:updated', (event) => {
    if (event.change === 'assigned' || event.change === 'unassigned') loadSoon();
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return agents;
}

/** /agent: the agent's workspace. Inbox on the left, the conversation in the middle, the customer on the right. */
export function InboxPage() {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const staffId = useConsoleStaffId();
  const { state } = useStaffSession();
  const canReassign = state.status === 'signed-in' && canSupervise(state.account.role);
  const [searchParams, setSearchParams] = useSearchParams();
  const view = viewOf(searchParams.get('view'));
  const selectedId = searchParams.get('c') ?? undefined;
  const statusParam = searchParams.get('status');
  const categoryParam = searchParams.get('category');
  const channelParam = searchParams.get('channel');
  const qParam = searchParams.get('q');
  const sortParam = searchParams.get('sort');
  const filters = useMemo<InboxFilters>(
    () => ({
      status: conversationStatusSchema.safeParse(statusParam).data as ConversationStatus | undefined,
      category: conversationCategorySchema.safeParse(categoryParam).data as ConversationCategory | undefined,
      channel: channelValues.find((value) => value === channelParam),
      q: qParam || undefined,
      sort: sortParam === 'due' ? 'due' : undefined,
    }),
    [statusParam, categoryParam, channelParam, qParam, sortParam],
  );
  const [isNewEmailOpen, setNewEmailOpen] = useState(false);

  // The view, filters and open conversation live in the address, so a reload or a shared link keeps them.
  const updateParams = useCallback(
    (changes: Record<string, string | undefined>) =>
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
  const [focusLink, setFocusLink] = useState<LinkedObjectRef>();
  const select = useCallback(
    (id: string | undefined) => {
      setFocusLink(undefined);
      if (id) notification.destroy(`assigned-${id}`);
      updateParams({ c: id });
    },
    [updateParams, notification],
  );

  const onNotice = (notice: InboxNotice) => {
    if (notice.kind === 'assigned') {
      showAssignedNotice(notification, t, notice, () => select(notice.conversationId));
    } else {
      notification.warning({
        key: 'queue',
        title: t('console.notify.queuedTitle', { count: notice.length }),
        description: t('console.notify.queuedBody'),
        placement: 'bottomLeft',
        actions: (
          <Button
            size="small"
            onClick={() => {
              notification.destroy('queue');
              updateParams({ view: 'unassigned' });
            }}
          >
            {t('console.notify.toQueue')}
          </Button>
        ),
      });
    }
  };

  const inbox = useInbox(view, filters, { staffId, openConversationId: selectedId, onNotice });
  const agents = useAgents();
  const staffNames = useMemo(() => new Map(agents.map((agent) => [agent.id, agent.name])), [agents]);
  const open = useOpenConversation(selectedId, { onRead: inbox.markSeen });
  const composer = useRef<ComposerHandle>(null);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const screens = Grid.useBreakpoint();
  // Below 1200 px the customer panel folds into a drawer, so the conversation keeps room to breathe.
  const isNarrow = screens.xl === false;
  const [isPanelOpen, setPanelOpen] = useState(false);

  const unread = inbox.counts?.mineUnread ?? 0;
  usePageTitle(unread > 0 ? `(${unread}) ${t('agent.inboxTitle')}` : t('agent.inboxTitle'));

  const selectedItem = inbox.items.find((item) => item.id === selectedId);
  const conversation = open.detail?.conversation;
  // The detail has no customer name; the inbox row, the contact or the customer's own messages do.
  const customerName =
    (selectedItem && customerNameOf(selectedItem, t('console.visitor'))) ||
    conversation?.contactName ||
    open.thread.messages.find((candidate) => isFromCustomer(candidate) && candidate.authorName)?.authorName ||
    conversation?.contactEmail ||
    (conversation?.customerId ? t('console.customer') : visitorName(conversation?.id ?? '', t('console.visitor')));

  const move = (step: 1 | -1) => {
    const items = inbox.items;
    if (items.length === 0) return;
    const index = items.findIndex((item) => item.id === selectedId);
    const next = index < 0 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, index + step));
    const item = items[next];
    if (item) {
      select(item.id);
      document.querySelector(`[data-conversation-id="${item.id}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  };

  useShortcuts({
    next: () => move(1),
    previous: () => move(-1),
    reply: () => composer.current?.focus('reply'),
    note: () => composer.current?.focus('note'),
    canned: () => composer.current?.openCanned(),
    help: () => setHelpOpen(true),
    resolve: () => {
      if (!conversation || conversation.status === 'resolved' || conversation.status === 'closed') return;
      // After the replies written just before it, which go apart from it (see OpenConversation.settled).
      open
        .settled()
        .then(() => updateConversation(conversation.id, { status: 'resolved' }))
        .then(
          () => {
            void message.success(t('console.header.statusDone', { status: t('console.statuses.resolved') }));
            void open.refresh();
          },
          (error: unknown) => void message.error(messageOf(error)),
        );
    },
  });

  const panel =
    conversation && open.detail ? (
      <CustomerPanelColumn conversation={conversation} links={open.detail.links} focusLink={focusLink} />
    ) : null;

  return (
    <div className="workspace">
      <InboxColumn
        view={view}
        onViewChange={(next) => updateParams({ view: next === 'mine' ? undefined : next })}
        filters={filters}
        onFiltersChange={(next) =>
          updateParams({ status: next.status, category: next.category, channel: next.channel, q: next.q, sort: next.sort })
        }
        counts={inbox.counts}
        items={inbox.items}
        isLoading={inbox.isLoading}
        error={inbox.error}
        selectedId={selectedId}
        onSelect={select}
        onNewEmail={() => setNewEmailOpen(true)}
      />
      <NewEmailDialog
        isOpen={isNewEmailOpen}
        onClose={() => setNewEmailOpen(false)}
        onStarted={(conversationId) => {
          setNewEmailOpen(false);
          updateParams({ view: undefined, c: conversationId });
        }}
      />
      <main className="workspace-conversation" aria-label={t('console.conversationLabel')}>
        {selectedId ? (
          <ConversationPane
            key={selectedId}
            open={open}
            customerName={customerName}
            staffId={staffId}
            canReassign={canReassign}
            agents={agents}
            staffNames={staffNames}
            composerRef={composer}
            isPanelToggleShown={isNarrow}
            onTogglePanel={() => setPanelOpen(true)}
            onLinkClick={(link) => {
              setFocusLink(link);
              if (isNarrow) setPanelOpen(true);
            }}
            onShowShortcuts={() => setHelpOpen(true)}
          />
        ) : (
          <Empty
            className="conversation-empty"
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <>
                <div className="empty-title">{t('console.noSelection')}</div>
                <div className="empty-hint">{t('console.noSelectionHint')}</div>
              </>
            }
          >
            <Button size="small" icon={<QuestionCircleOutlined />} onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
              {t('console.shortcuts.title')}
            </Button>
          </Empty>
        )}
      </main>
      {isNarrow ? (
        <Drawer
          open={isPanelOpen && panel !== null}
          onClose={() => setPanelOpen(false)}
          width={380}
          title={t('console.panel.label')}
          className="panel-drawer"
        >
          {panel}
        </Drawer>
      ) : (
        (panel ?? <aside className="workspace-panel workspace-panel-empty" aria-label={t('console.panel.label')} />)
      )}
      <ShortcutHelp isOpen={isHelpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
