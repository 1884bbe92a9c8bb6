import { AuditOutlined, LockOutlined, MailOutlined, ReloadOutlined, UnlockOutlined, UserOutlined } from '@ant-design/icons';
import type { StaffFreeze } from '@okpay/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Empty, Popconfirm, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Conversation,
  type LinkedObjectRef,
  openCustomerPanel,
  type PanelTransaction,
  sendCustomerPasswordReset,
} from '../../api/agent-console';
import { messageOf } from '../../api/client';
import { listCustomerFreezes } from '../../api/compliance';
import { currentLocale } from '../../i18n';
import { formatDateTime, formatMoney, formatSignedMoney } from '../../wallet/money';
import { verificationLevelColours } from '../compliance-labels';
import { FreezeDialog, UnfreezeDialog } from './freeze-dialogs';

/** Which of the customer's objects the conversation is about, for highlighting. */
function isLinked(transaction: PanelTransaction, links: readonly LinkedObjectRef[]): boolean {
  return links.some(
    (link) => (link.type === 'top_up' && transaction.topUpId === link.id) || (link.type === 'transaction' && transaction.id === link.id),
  );
}

/** One titled part of the panel: its items as a list, or what to say when there are none. */
function PanelListSection<Item>({
  id,
  title,
  items,
  empty,
  render,
  listClassName = 'panel-list',
}: {
  id: string;
  title: string;
  items: readonly Item[];
  empty: ReactNode;
  render: (item: Item) => ReactNode;
  listClassName?: string;
}) {
  return (
    <section className="panel-section" aria-labelledby={id}>
      <h3 className="panel-section-title" id={id}>
        {title}
      </h3>
      {items.length === 0 ? empty : <ul className={listClassName}>{items.map(render)}</ul>}
    </section>
  );
}

/**
 * The right column: the customer's wallet beside the conversation. The server audit-logs every
 * opening, so it is fetched once per conversation (kept in the query cache while the console is
 * open: never stale, never refetched on focus or retried on its own) and again only when the agent
 * asks or has just changed something.
 */
export function CustomerPanelColumn({
  conversation,
  links,
  focusLink,
}: {
  conversation: Conversation;
  links: readonly LinkedObjectRef[];
  /** A link the agent clicked in the timeline: scroll to it. */
  focusLink: LinkedObjectRef | undefined;
}) {
  const { t } = useTranslation();
  if (!conversation.customerId) {
    return (
      <aside className="workspace-panel" aria-label={t('console.panel.label')}>
        <section className="panel-section">
          <div className="panel-visitor">
            <UserOutlined className="panel-visitor-icon" />
            <Typography.Title level={5}>
              {conversation.channel === 'email' ? t('console.email.senderTitle') : t('console.panel.visitorTitle')}
            </Typography.Title>
            {(conversation.contactName || conversation.contactEmail) && (
              <Descriptions
                size="small"
                column={1}
                items={[
                  ...(conversation.contactName
                    ? [{ key: 'name', label: t('console.panel.contactName'), children: conversation.contactName }]
                    : []),
                  ...(conversation.contactEmail
                    ? [{ key: 'email', label: t('console.panel.contactEmail'), children: conversation.contactEmail }]
                    : []),
                ]}
              />
            )}
            <Alert
              type="info"
              showIcon
              title={conversation.channel === 'email' ? t('console.email.senderHint') : t('console.panel.visitorHint')}
            />
          </div>
        </section>
      </aside>
    );
  }
  return (
    <CustomerWallet
      key={conversation.id}
      conversation={conversation}
      customerId={conversation.customerId}
      links={links}
      focusLink={focusLink}
    />
  );
}

function CustomerWallet({
  conversation,
  customerId,
  links,
  focusLink,
}: {
  conversation: Conversation;
  customerId: string;
  links: readonly LinkedObjectRef[];
  focusLink: LinkedObjectRef | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const [isFreezing, setFreezing] = useState(false);
  const [unfreezing, setUnfreezing] = useState<StaffFreeze>();
  const [isSendingReset, setSendingReset] = useState(false);
  const firstLink = links[0];

  // Once per conversation: every opening is an audited read of the customer's money.
  const query = useQuery({
    queryKey: ['staff', 'customer-panel', conversation.id],
    queryFn: async () => {
      const [panel, freezes] = await Promise.all([
        openCustomerPanel(customerId, conversation.id, firstLink),
        listCustomerFreezes(customerId).then((answer) => answer.freezes.filter((freeze) => freeze.isActive)),
      ]);
      return { panel, freezes };
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const { data, refetch } = query;
  const isLoading = query.isFetching;
  const error = query.error ? messageOf(query.error) : undefined;
  const load = useCallback(async () => {
    await refetch();
  }, [refetch]);

  // Bring the linked top-up into view once it has loaded, and again when the agent clicks a link in
  // the timeline; not on every reload, which would pull the panel away from what the agent is doing.
  const highlighted = useRef<HTMLLIElement>(null);
  const scrolledFor = useRef<LinkedObjectRef | 'first' | undefined>(undefined);
  useLayoutEffect(() => {
    const target = focusLink ?? 'first';
    if (!highlighted.current || scrolledFor.current === target) return;
    scrolledFor.current = target;
    highlighted.current.scrollIntoView({ block: 'nearest' });
  });

  const sendReset = async () => {
    setSendingReset(true);
    try {
      const answer = await sendCustomerPasswordReset(customerId);
      void message.success(answer.message);
    } catch (caught) {
      void message.error(messageOf(caught));
    } finally {
      setSendingReset(false);
    }
  };

  if (isLoading && !data) {
    return (
      <aside className="workspace-panel" aria-label={t('console.panel.label')} aria-busy="true">
        <section className="panel-section">
          <Skeleton active paragraph={{ rows: 8 }} />
        </section>
      </aside>
    );
  }
  if (!data) {
    return (
      <aside className="workspace-panel" aria-label={t('console.panel.label')}>
        <section className="panel-section">
          <Alert
            type="error"
            showIcon
            title={error ?? t('common.unexpectedError')}
            action={
              <Button size="small" onClick={() => void load()}>
                {t('common.retry')}
              </Button>
            }
          />
        </section>
      </aside>
    );
  }

  const { panel, freezes } = data;
  const { profile, wallet } = panel;
  const focus = focusLink ?? firstLink;
  const freezeSetBy = (freeze: StaffFreeze) =>
    freeze.setBy.type === 'staff'
      ? (freeze.setBy.staff?.displayName ?? t('agent.unfreeze.setByStaff'))
      : freeze.setBy.type === 'system'
        ? t('agent.unfreeze.setBySystem', { rule: freeze.setBy.rule ?? '—' })
        : t('agent.unfreeze.setByCustomer');

  return (
    <aside className="workspace-panel" aria-label={t('console.panel.label')}>
      <section className="panel-section panel-profile">
        <div className="panel-heading">
          <Typography.Title level={5} className="panel-name">
            {profile.displayName}
          </Typography.Title>
          <Tooltip title={t('console.panel.refreshHint')}>
            <Button
              size="small"
              type="text"
              icon={<ReloadOutlined />}
              loading={isLoading}
              onClick={() => void load()}
              aria-label={t('console.panel.refresh')}
            />
          </Tooltip>
        </div>
        <Descriptions
          size="small"
          column={1}
          className="panel-descriptions"
          items={[
            {
              key: 'email',
              label: t('form.email'),
              children: (
                <span className="panel-email">
                  {profile.email}{' '}
                  {profile.emailVerified ? <Tag color="success">{t('app.emailVerified')}</Tag> : <Tag>{t('app.emailUnverified')}</Tag>}
                </span>
              ),
            },
            { key: 'phone', label: t('app.phone'), children: profile.phone ?? t('app.noPhone') },
            {
              key: 'kyc',
              label: t('console.panel.verification'),
              children: (
                <Tag color={verificationLevelColours[wallet.verification.level]}>{t(`security.levels.${wallet.verification.level}`)}</Tag>
              ),
            },
            { key: 'since', label: t('app.memberSince'), children: formatDateTime(profile.createdAt, locale) },
            { key: 'locale', label: t('console.panel.language'), children: profile.locale === 'en' ? 'English' : '中文' },
          ]}
        />
        <Space size={6} wrap className="panel-actions">
          <Popconfirm
            title={t('console.panel.resetConfirm')}
            description={t('console.panel.resetConfirmHint', { email: profile.email })}
            okText={t('console.panel.resetOk')}
            cancelText={t('app.cancel')}
            onConfirm={() => sendReset()}
          >
            <Button size="small" icon={<MailOutlined />} loading={isSendingReset}>
              {t('console.panel.sendReset')}
            </Button>
          </Popconfirm>
          <Button size="small" danger icon={<LockOutlined />} onClick={() => setFreezing(true)}>
            {t('console.panel.freeze')}
          </Button>
        </Space>
      </section>

      <PanelListSection
        id="panel-freezes"
        title={t('console.panel.freezes')}
        items={freezes}
        empty={<div className="panel-ok">{t('console.panel.notFrozen')}</div>}
        render={(freeze) => (
          <li key={freeze.id} className="panel-freeze">
            <div className="panel-freeze-head">
              <Tag color="red" icon={<LockOutlined />}>
                {t(`agent.freezeReasons.${freeze.reason}`)}
              </Tag>
              {freeze.requiresVerification && <Tag>{t('agent.unfreeze.needsVerification')}</Tag>}
            </div>
            <div className="panel-meta">
              {t('console.panel.frozenSince', { time: formatDateTime(freeze.createdAt, locale) })} ·{' '}
              {t('console.panel.setBy', { who: freezeSetBy(freeze) })}
            </div>
            {freeze.note && (
              <div className="panel-internal-note">
                <span className="panel-internal-label">{t('agent.unfreeze.internalNote')}</span> {freeze.note}
              </div>
            )}
            {freeze.pendingUnfreezeRequestId ? (
              <Tag color="processing" className="panel-pending-unfreeze">
                {t('console.panel.unfreezePending')}
              </Tag>
            ) : (
              <Button size="small" icon={<UnlockOutlined />} onClick={() => setUnfreezing(freeze)}>
                {t('console.panel.proposeUnfreeze')}
              </Button>
            )}
          </li>
        )}
      />

      <PanelListSection
        id="panel-balances"
        title={t('console.panel.balances')}
        items={wallet.balances}
        empty={<div className="panel-muted">{t('console.panel.noBalances')}</div>}
        listClassName="panel-balances"
        render={(balance) => (
          <li key={balance.currency}>
            <span className="panel-balance-amount">{formatMoney({ amount: balance.amount, currency: balance.currency })}</span>
            {balance.isFrozen && <Tag color="red">{t('wallet.frozenTag')}</Tag>}
          </li>
        )}
      />

      <PanelListSection
        id="panel-cards"
        title={t('console.panel.cards')}
        items={wallet.cards}
        empty={<div className="panel-muted">{t('cards.empty')}</div>}
        render={(card) => {
          const isCardLinked = links.some((link) => link.type === 'card' && link.id === card.id);
          return (
            <li
              key={card.id}
              className={`panel-card${isCardLinked ? ' is-linked' : ''}`}
              ref={isCardLinked && focus?.id === card.id ? highlighted : undefined}
            >
              <span className="card-digits">
                {t(`cards.brands.${card.brand as 'visa'}`, { defaultValue: card.brand })} •••• {card.last4}
              </span>
              <span className="panel-meta">
                {String(card.expMonth).padStart(2, '0')}/{String(card.expYear).slice(-2)}
                {card.status !== 'active' && ` · ${card.status}`}
              </span>
            </li>
          );
        }}
      />

      <PanelListSection
        id="panel-transactions"
        title={t('console.panel.transactions')}
        items={wallet.transactions}
        empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.empty')} />}
        render={(transaction) => {
          const linked = isLinked(transaction, links);
          const isFocus =
            linked &&
            focus !== undefined &&
            ((focus.type === 'top_up' && transaction.topUpId === focus.id) ||
              (focus.type === 'transaction' && transaction.id === focus.id));
          return (
            <li
              key={transaction.id}
              className={`panel-transaction${linked ? ' is-linked' : ''}`}
              ref={isFocus ? highlighted : undefined}
              aria-current={linked ? 'true' : undefined}
              data-transaction-id={transaction.id}
            >
              {linked && <div className="panel-linked-label">{t('console.panel.linked')}</div>}
              <div className="panel-transaction-head">
                <span>{t(`history.types.${transaction.type}`)}</span>
                <Tag
                  color={transaction.status === 'failed' ? 'error' : transaction.status === 'pending' ? 'processing' : 'success'}
                  className="status-tag"
                >
                  {t(`history.statuses.${transaction.status}`)}
                </Tag>
                <span className={`panel-transaction-amount${transaction.status === 'failed' ? ' is-void' : ''}`}>
                  {formatSignedMoney(transaction.amount)}
                </span>
              </div>
              <div className="panel-meta">
                {formatDateTime(transaction.createdAt, locale)}
                {transaction.cardLast4 && <span className="card-digits"> · •••• {transaction.cardLast4}</span>}
                {transaction.counterparty && ` · ${transaction.counterparty}`}
              </div>
              {transaction.failureCode && (
                <div className="panel-failure">
                  <div>
                    <span className="panel-failure-label">{t('console.panel.failureCode')}</span>
                    <code className="panel-failure-code">{transaction.failureCode}</code>
                    {transaction.failureCodePublic && transaction.failureCodePublic !== transaction.failureCode && (
                      <Tooltip title={t('console.panel.riskCodeHint')}>
                        <Tag color="volcano" className="panel-risk-tag">
                          {t('console.panel.riskCode')}
                        </Tag>
                      </Tooltip>
                    )}
                  </div>
                  {transaction.failureMessage && (
                    <div className="panel-customer-saw">
                      <span className="panel-failure-label">{t('console.panel.customerSaw')}</span>
                      {transaction.failureMessage}
                    </div>
                  )}
                  {transaction.refund && (
                    <div className="panel-refund">
                      {transaction.refund.status === 'refunded'
                        ? t('console.panel.refunded', {
                            time: formatDateTime(transaction.refund.refundedAt ?? transaction.createdAt, locale),
                          })
                        : t('console.panel.refundPending')}
                    </div>
                  )}
                </div>
              )}
            </li>
          );
        }}
      />
      <p className="panel-audit">
        <AuditOutlined /> {t('console.panel.audited')}
      </p>

      <FreezeDialog
        isOpen={isFreezing}
        customerId={customerId}
        customerName={profile.displayName}
        onClose={() => setFreezing(false)}
        onDone={() => {
          setFreezing(false);
          void load();
        }}
      />
      <UnfreezeDialog
        freeze={unfreezing}
        conversationId={conversation.id}
        verificationLevel={wallet.verification.level}
        onClose={() => setUnfreezing(undefined)}
        onDone={() => {
          setUnfreezing(undefined);
          void load();
        }}
      />
    </aside>
  );
}
