import { MailOutlined, SafetyCertificateFilled } from '@ant-design/icons';
import { type ConversationCategory, type ConversationStatus, conversationCategories, conversationStatuses } from '@okpay/contracts';
import { Alert, Badge, Button, Empty, Input, Select, Skeleton, Tabs, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationChannel, InboxCounts, InboxFilters, InboxItem, InboxSort, InboxView } from '../../api/agent-console';
import { currentLocale } from '../../i18n';
import { ChannelIcon } from './channel-icon';
import { priorityColours, statusColours } from './labels';
import { SlaCountdown } from './sla-countdown';
import { formatDuration, formatShortTime, useNow } from './time';

const views: InboxView[] = ['mine', 'unassigned', 'all'];
const channels: ConversationChannel[] = ['chat', 'email', 'phone'];
const sorts: InboxSort[] = ['activity', 'due'];

/** 访客 3f2a: anonymous visitors told apart by the start of their conversation's id. */
export function visitorName(conversationId: string, visitorLabel: string): string {
  return `${visitorLabel} ${conversationId.slice(0, 4)}`.trim();
}

export function customerNameOf(item: Pick<InboxItem, 'id' | 'customer'>, visitorLabel: string): string {
  return item.customer.name ?? item.customer.email ?? visitorName(item.id, visitorLabel);
}

/** The left column: 我的 / 待分配 / 全部 with counts, filters, search and the list itself. */
export function InboxColumn({
  view,
  onViewChange,
  filters,
  onFiltersChange,
  counts,
  items,
  isLoading,
  error,
  selectedId,
  onSelect,
  onNewEmail,
}: {
  view: InboxView;
  onViewChange(view: InboxView): void;
  filters: InboxFilters;
  onFiltersChange(filters: InboxFilters): void;
  counts: InboxCounts | undefined;
  items: InboxItem[];
  isLoading: boolean;
  error: string | undefined;
  selectedId: string | undefined;
  onSelect(id: string): void;
  /** Opens the dialog to write to a customer first. */
  onNewEmail(): void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const now = useNow(1_000);
  const [search, setSearch] = useState(filters.q ?? '');
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  // Search as the agent types, once they pause.
  useEffect(() => {
    const q = search.trim() || undefined;
    if (q === filtersRef.current.q) return;
    const timer = setTimeout(() => onFiltersChange({ ...filtersRef.current, q }), 350);
    return () => clearTimeout(timer);
  }, [search, onFiltersChange]);

  const tabLabel = (value: InboxView) => {
    const label = t(`console.views.${value}`);
    if (value === 'mine')
      return (
        <span className="inbox-tab">
          {label}
          <span className="inbox-tab-count">{counts?.mine ?? ''}</span>
          <Badge count={counts?.mineUnread ?? 0} size="small" title={t('console.unreadTitle', { count: counts?.mineUnread ?? 0 })} />
        </span>
      );
    if (value === 'unassigned')
      return (
        <span className="inbox-tab">
          {label}
          <Badge
            count={counts?.unassigned ?? 0}
            size="small"
            color="orange"
            title={t('console.queuedTitle', { count: counts?.unassigned ?? 0 })}
          />
        </span>
      );
    return label;
  };

  const isFiltered = Boolean(filters.q || filters.status || filters.category || filters.channel);

  return (
    <section className="workspace-inbox" aria-label={t('console.inboxLabel')}>
      <Tabs
        className="inbox-tabs"
        size="small"
        activeKey={view}
        onChange={(key) => onViewChange(key as InboxView)}
        items={views.map((value) => ({ key: value, label: tabLabel(value) }))}
      />
      <div className="inbox-toolbar">
        <div className="inbox-toolbar-row">
          <Input.Search
            size="small"
            allowClear
            value={search}
            aria-label={t('console.search')}
            placeholder={t('console.searchPlaceholder')}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => onFiltersChange({ ...filters, q: value.trim() || undefined })}
          />
          <Button size="small" icon={<MailOutlined />} onClick={onNewEmail} title={t('console.email.newTitle')}>
            {t('console.email.newEmail')}
          </Button>
        </div>
        <div className="inbox-filters">
          <Select<ConversationStatus>
            size="small"
            allowClear
            aria-label={t('console.filterStatus')}
            placeholder={t('console.allStatuses')}
            value={filters.status}
            onChange={(status) => onFiltersChange({ ...filters, status })}
            options={conversationStatuses.map((value) => ({ value, label: t(`console.statuses.${value}`) }))}
            popupMatchSelectWidth={false}
          />
          <Select<ConversationCategory>
            size="small"
            allowClear
            aria-label={t('console.filterCategory')}
            placeholder={t('console.allCategories')}
            value={filters.category}
            onChange={(category) => onFiltersChange({ ...filters, category })}
            options={conversationCategories.map((value) => ({ value, label: t(`console.categories.${value}`) }))}
            popupMatchSelectWidth={false}
          />
          <Select<ConversationChannel>
            size="small"
            allowClear
            aria-label={t('console.filterChannel')}
            placeholder={t('console.allChannels')}
            value={filters.channel}
            onChange={(channel) => onFiltersChange({ ...filters, channel })}
            options={channels.map((value) => ({ value, label: t(`console.channels.${value}`) }))}
            popupMatchSelectWidth={false}
          />
          <Select<InboxSort>
            size="small"
            aria-label={t('console.email.sortLabel')}
            value={filters.sort ?? 'activity'}
            onChange={(sort) => onFiltersChange({ ...filters, sort: sort === 'activity' ? undefined : sort })}
            options={sorts.map((value) => ({ value, label: t(`console.email.sort.${value}`) }))}
            popupMatchSelectWidth={false}
          />
        </div>
      </div>
      {error && <Alert type="error" showIcon title={error} className="inbox-error" />}
      <div className="inbox-scroll">
        {isLoading && items.length === 0 ? (
          <div className="inbox-skeleton">
            <Skeleton active paragraph={{ rows: 2 }} />
            <Skeleton active paragraph={{ rows: 2 }} />
          </div>
        ) : items.length === 0 ? (
          <Empty
            className="inbox-empty"
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <>
                <div className="empty-title">{isFiltered ? t('console.emptyFiltered') : t('agent.emptyInbox')}</div>
                <div className="empty-hint">{isFiltered ? t('console.emptyFilteredHint') : t(`console.emptyHints.${view}`)}</div>
              </>
            }
          />
        ) : (
          <ul className="inbox-list" aria-label={t(`console.views.${view}`)}>
            {items.map((item) => (
              <li key={item.id}>
                <InboxRow
                  item={item}
                  isSelected={item.id === selectedId}
                  now={now}
                  locale={locale}
                  showAssignee={view === 'all'}
                  onSelect={onSelect}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function InboxRow({
  item,
  isSelected,
  now,
  locale,
  showAssignee,
  onSelect,
}: {
  item: InboxItem;
  isSelected: boolean;
  now: number;
  locale: string;
  showAssignee: boolean;
  onSelect(id: string): void;
}) {
  const { t } = useTranslation();
  const name = customerNameOf(item, t('console.visitor'));
  const preview = item.lastMessage
    ? `${item.lastMessage.authorType === 'agent' ? t('console.previewAgent') : ''}${item.lastMessage.body}`
    : t('console.noMessagesYet');
  const isQueued = item.assigneeId === null && item.waitingSince !== null;
  const className = ['inbox-item', isSelected ? 'is-selected' : '', item.unread > 0 ? 'is-unread' : ''].join(' ');
  return (
    <button
      type="button"
      className={className}
      aria-current={isSelected ? 'true' : undefined}
      onClick={() => onSelect(item.id)}
      data-conversation-id={item.id}
    >
      <span className="inbox-item-top">
        <span className="inbox-item-name">{name}</span>
        {item.isVerified ? (
          <SafetyCertificateFilled className="verified-icon" title={t('console.verified')} aria-label={t('console.verified')} />
        ) : (
          <Tag className="visitor-tag">{t('console.visitorTag')}</Tag>
        )}
        <span className="inbox-item-time">{formatShortTime(item.lastMessage?.at ?? item.updatedAt, locale)}</span>
      </span>
      {item.channel === 'email' && item.subject && (
        <span className="inbox-item-subject">
          {item.subject}
          {item.reference && <span className="inbox-item-reference"> #{item.reference}</span>}
        </span>
      )}
      <span className="inbox-item-preview">{preview}</span>
      <span className="inbox-item-meta">
        <span className="inbox-item-channel" title={t(`console.channels.${item.channel}`)}>
          <ChannelIcon channel={item.channel} />
        </span>
        <Tag className="inbox-tag">{t(`console.categories.${item.category}`)}</Tag>
        {item.isOfflineMessage && (
          <Tag className="inbox-tag" color="purple" title={t('console.offlineMessageHint')}>
            {t('console.offlineMessage')}
          </Tag>
        )}
        {item.status !== 'open' && (
          <Tag className="inbox-tag" color={statusColours[item.status]}>
            {t(`console.statuses.${item.status}`)}
          </Tag>
        )}
        {(item.priority === 'high' || item.priority === 'urgent') && (
          <Tag className="inbox-tag" color={priorityColours[item.priority]}>
            {t(`console.priorities.${item.priority}`)}
          </Tag>
        )}
        {item.sla && (item.status === 'open' || item.status === 'pending') && <SlaCountdown clock={item.sla} now={now} compact />}
        {isQueued && item.waitingSince && (
          <span className="inbox-item-waiting">
            {t('console.waiting', { duration: formatDuration(now - Date.parse(item.waitingSince), t) })}
          </span>
        )}
        {showAssignee && item.assigneeName && <span className="inbox-item-assignee">{item.assigneeName}</span>}
        {item.unread > 0 && (
          <Badge className="inbox-item-unread" count={item.unread} size="small" title={t('console.unreadTitle', { count: item.unread })} />
        )}
      </span>
    </button>
  );
}
