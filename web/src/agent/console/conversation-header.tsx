import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  StopOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { type ConversationCategory, type ConversationStatus, conversationCategories } from '@okpay/contracts';
import { App, Button, Select, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  assignConversation,
  type Conversation,
  type ConversationChanges,
  type ConversationPriority,
  type StaffWithLoad,
  updateConversation,
} from '../../api/agent-console';
import { messageOf } from '../../api/client';
import { AgentOption } from './agent-option';
import { ChannelIcon } from './channel-icon';
import { priorities, statusColours } from './labels';
import { SlaCountdown } from './sla-countdown';
import { useNow } from './time';

/** The conversation's who and what, its fields, who has it, and the status actions. */
export function ConversationHeader({
  conversation,
  customerName,
  staffId,
  canReassign,
  agents,
  onChanged,
  afterSends,
  isPanelToggleShown,
  onTogglePanel,
}: {
  conversation: Conversation;
  customerName: string;
  staffId: string;
  canReassign: boolean;
  agents: StaffWithLoad[];
  onChanged(): void;
  /** Resolves once the messages written here have their answer: changes go after them (see OpenConversation.settled). */
  afterSends(): Promise<void>;
  isPanelToggleShown: boolean;
  onTogglePanel(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  const now = useNow(1_000);

  const run = async (key: string, action: () => Promise<unknown>, done?: string) => {
    setBusy(key);
    try {
      await action();
      if (done) void message.success(done);
      onChanged();
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setBusy(undefined);
    }
  };
  const change = (key: string, changes: ConversationChanges, done?: string) =>
    run(
      key,
      async () => {
        await afterSends();
        return updateConversation(conversation.id, changes);
      },
      done,
    );
  const setStatus = (status: ConversationStatus) =>
    change(`status-${status}`, { status }, t('console.header.statusDone', { status: t(`console.statuses.${status}`) }));

  const isMine = conversation.assigneeId === staffId;
  const isFinished = conversation.status === 'closed';
  const isLive = conversation.status === 'open' || conversation.status === 'pending';

  return (
    <header className="conversation-header">
      <div className="conversation-title-row">
        <h2 className="conversation-title">{customerName}</h2>
        {conversation.isVerified ? (
          <Tag color="success" icon={<SafetyCertificateOutlined />}>
            {t('console.verified')}
          </Tag>
        ) : (
          <Tag icon={<IdcardOutlined />}>{t('console.unverifiedVisitor')}</Tag>
        )}
        <Tag icon={<ChannelIcon channel={conversation.channel} />}>{t(`console.channels.${conversation.channel}`)}</Tag>
        <Tag color={statusColours[conversation.status]}>{t(`console.statuses.${conversation.status}`)}</Tag>
        {conversation.sla.map((clock) => (
          <SlaCountdown key={clock.target} clock={clock} now={now} />
        ))}
        {isPanelToggleShown && (
          <Button size="small" className="panel-toggle" onClick={onTogglePanel}>
            {t('console.panel.toggle')}
          </Button>
        )}
      </div>
      {conversation.channel === 'email' && (conversation.subject || conversation.reference) && (
        <div className="conversation-subject">
          <span className="conversation-subject-text" title={t('console.email.subjectLabel')}>
            {conversation.subject}
          </span>
          {conversation.reference && (
            <span className="conversation-reference">{t('console.email.reference', { reference: conversation.reference })}</span>
          )}
        </div>
      )}
      <div className="conversation-fields">
        <Select<ConversationCategory>
          size="small"
          className="field-category"
          aria-label={t('console.header.category')}
          value={conversation.category}
          disabled={isFinished}
          loading={busy === 'category'}
          onChange={(category) => void change('category', { category })}
          options={conversationCategories.map((value) => ({ value, label: t(`console.categories.${value}`) }))}
          popupMatchSelectWidth={false}
        />
        <Select<ConversationPriority>
          size="small"
          className="field-priority"
          aria-label={t('console.header.priority')}
          value={conversation.priority}
          disabled={isFinished}
          loading={busy === 'priority'}
          onChange={(priority) => void change('priority', { priority })}
          options={priorities.map((value) => ({ value, label: t(`console.priorities.${value}`) }))}
          labelRender={({ value }) => (
            <span>
              {t('console.header.priorityShort')}
              {t(`console.priorities.${value as ConversationPriority}`)}
            </span>
          )}
          popupMatchSelectWidth={false}
        />
        <Select<string[]>
          size="small"
          mode="tags"
          className="field-tags"
          aria-label={t('console.header.tags')}
          placeholder={t('console.header.tagsPlaceholder')}
          value={conversation.tags}
          disabled={isFinished}
          maxCount={10}
          tokenSeparators={[',', '，']}
          onChange={(tags) => void change('tags', { tags: tags.map((tag) => tag.trim().slice(0, 30)).filter(Boolean) })}
          open={false}
          suffixIcon={null}
        />
      </div>
      <div className="conversation-actions">
        <div className="assignee">
          <span className="assignee-label">{t('console.header.assignee')}</span>
          {canReassign ? (
            <Select<string>
              size="small"
              className="assignee-select"
              aria-label={t('console.header.reassign')}
              value={conversation.assigneeId ?? undefined}
              placeholder={t('console.header.unassigned')}
              disabled={isFinished}
              loading={busy === 'assign'}
              onChange={(agentId) => void run('assign', () => assignConversation(conversation.id, agentId), t('console.header.reassigned'))}
              options={agents.map((agent) => ({
                value: agent.id,
                label: <AgentOption agent={agent} />,
              }))}
              labelRender={({ value }) => agents.find((agent) => agent.id === value)?.name ?? conversation.assigneeName ?? ''}
              popupMatchSelectWidth={false}
            />
          ) : (
            <span className="assignee-name">{conversation.assigneeName ?? t('console.header.unassigned')}</span>
          )}
          {isLive && conversation.assigneeId === null && (
            <Button
              size="small"
              type="primary"
              loading={busy === 'take'}
              onClick={() => void run('take', () => assignConversation(conversation.id, staffId), t('console.header.taken'))}
            >
              {t('console.header.take')}
            </Button>
          )}
          {isLive && isMine && (
            <Tooltip title={t('console.header.handBackHint')}>
              <Button
                size="small"
                loading={busy === 'handBack'}
                onClick={() => void run('handBack', () => assignConversation(conversation.id, null), t('console.header.handedBack'))}
              >
                {t('console.header.handBack')}
              </Button>
            </Tooltip>
          )}
        </div>
        <Space size={6} wrap className="status-actions">
          {(conversation.status === 'open' || conversation.status === 'pending') && (
            <>
              {conversation.status === 'open' && (
                <Tooltip title={t('console.header.pendingHint')}>
                  <Button
                    size="small"
                    icon={<ClockCircleOutlined />}
                    loading={busy === 'status-pending'}
                    onClick={() => void setStatus('pending')}
                  >
                    {t('console.header.markPending')}
                  </Button>
                </Tooltip>
              )}
              <Button
                size="small"
                type="primary"
                ghost
                icon={<CheckCircleOutlined />}
                loading={busy === 'status-resolved'}
                onClick={() => void setStatus('resolved')}
                aria-keyshortcuts="e"
              >
                {t('console.header.resolve')}
              </Button>
            </>
          )}
          {conversation.status === 'resolved' && (
            <Button size="small" icon={<UndoOutlined />} loading={busy === 'status-open'} onClick={() => void setStatus('open')}>
              {t('console.header.reopen')}
            </Button>
          )}
          {conversation.status !== 'closed' && (
            <Tooltip title={t('console.header.closeHint')}>
              <Button
                size="small"
                danger
                icon={<StopOutlined />}
                loading={busy === 'status-closed'}
                onClick={() => void setStatus('closed')}
              >
                {t('console.header.close')}
              </Button>
            </Tooltip>
          )}
        </Space>
      </div>
    </header>
  );
}
