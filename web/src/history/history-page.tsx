import { DownloadOutlined } from '@ant-design/icons';
import type { WalletTransaction } from '@okpay/contracts';
import { Alert, Button, Card, Empty, Grid, Spin, Table, type TableProps, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { isNetworkError, messageOf } from '../api/client';
import { type HistoryFilters, listTransactions, transactionsCsvUrl } from '../api/wallet';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { recall, remember } from '../pwa/last-known';
import { LastUpdated } from '../pwa/last-updated';
import { onBackOnline } from '../pwa/network-status';
import { useCustomerSession } from '../session/sessions';
import { ContactSupportAboutTopUp } from '../top-up/contact-support-button';
import { RefundNote } from '../top-up/refund-note';
import { formatDateTime } from '../wallet/money';
import { StatusTag } from '../wallet/status-tag';
import { canAskSupportAbout, counterpartyOf } from './describe-transaction';
import { filtersFromSearch, HistoryFiltersBar, searchFromFilters } from './history-filters';
import { TransactionAmount } from './transaction-amount';
import { TransactionDrawer } from './transaction-drawer';

type Pages = { rows: WalletTransaction[]; nextCursor: string | null };

/**
 * The first page for the filters, then further pages on request; a filter change starts over.
 * The unfiltered first page is kept on this device and shown, with its time, when offline.
 */
function useTransactionPages(filters: HistoryFilters) {
  const [pages, setPages] = useState<Pages>();
  const [error, setError] = useState<string>();
  const [isLoading, setLoading] = useState(true);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const [updated, setUpdated] = useState<{ at: number; isFromMemory: boolean }>();
  const generation = useRef(0);
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const keptAs = Object.values(filters).some(Boolean) ? undefined : 'history';

  const loadFirst = useCallback(async () => {
    const call = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await listTransactions(filters);
      if (call !== generation.current) return;
      const now = Date.now();
      setPages({ rows: page.transactions, nextCursor: page.nextCursor });
      setUpdated({ at: now, isFromMemory: false });
      if (keptAs && customerId) remember(customerId, keptAs, page.transactions, now);
    } catch (caught) {
      if (call !== generation.current) return;
      const kept = keptAs && customerId && isNetworkError(caught) ? recall<WalletTransaction[]>(keptAs, customerId) : undefined;
      if (kept) {
        // No "more" offline: further pages come from the server.
        setPages({ rows: kept.data, nextCursor: null });
        setUpdated({ at: kept.savedAt, isFromMemory: true });
      } else setError(messageOf(caught));
    } finally {
      if (call === generation.current) setLoading(false);
    }
  }, [filters, keptAs, customerId]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);
  useEffect(() => onBackOnline(() => void loadFirst()), [loadFirst]);

  const loadMore = async () => {
    if (!pages?.nextCursor) return;
    const call = generation.current;
    setLoadingMore(true);
    try {
      const page = await listTransactions(filters, pages.nextCursor);
      if (call === generation.current) setPages({ rows: [...pages.rows, ...page.transactions], nextCursor: page.nextCursor });
    } catch (caught) {
      if (call === generation.current) setError(messageOf(caught));
    } finally {
      setLoadingMore(false);
    }
  };

  return { pages, error, isLoading, isLoadingMore, loadMore, reload: loadFirst, updated };
}

/** /app/history: every transaction, filtered, page by page, with a CSV statement of the same filters. */
export function HistoryPage() {
  const { t } = useTranslation();
  usePageTitle(t('history.title'));
  const locale = currentLocale();
  const screens = Grid.useBreakpoint();
  const isNarrow = !screens.md;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(searchParams), [searchParams]);
  const { pages, error, isLoading, isLoadingMore, loadMore, reload, updated } = useTransactionPages(filters);
  const [selected, setSelected] = useState<WalletTransaction>();

  const changeFilters = (next: HistoryFilters) => setSearchParams(searchFromFilters(next), { replace: true });
  const hasFilters = Object.values(filters).some(Boolean);

  const supportButton = (transaction: WalletTransaction) =>
    canAskSupportAbout(transaction) ? <ContactSupportAboutTopUp topUpId={transaction.topUpId} size="small" /> : null;

  const columns: TableProps<WalletTransaction>['columns'] = [
    {
      key: 'time',
      title: t('history.timeColumn'),
      width: 170,
      render: (_, transaction) => <span className="nowrap">{formatDateTime(transaction.createdAt, locale)}</span>,
    },
    { key: 'type', title: t('history.type'), width: 80, render: (_, transaction) => t(`history.types.${transaction.type}`) },
    { key: 'status', title: t('history.status'), width: 100, render: (_, transaction) => <StatusTag status={transaction.status} /> },
    {
      key: 'amount',
      title: t('history.amount'),
      align: 'right',
      width: 150,
      render: (_, transaction) => <TransactionAmount transaction={transaction} />,
    },
    {
      key: 'counterparty',
      title: t('history.counterparty'),
      render: (_, transaction) => <span className="counterparty">{counterpartyOf(transaction, t) || '—'}</span>,
    },
    {
      key: 'failure',
      title: t('history.failureReason'),
      render: (_, transaction) =>
        transaction.failure ? (
          <div className="failure-cell">
            <Typography.Text type={transaction.status === 'failed' ? 'danger' : 'secondary'}>{transaction.failure.message}</Typography.Text>
            <RefundNote refund={transaction.refund} compact />
            {supportButton(transaction)}
          </div>
        ) : (
          '—'
        ),
    },
  ];

  const emptyText = (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasFilters ? t('history.emptyFiltered') : t('history.empty')} />
  );

  return (
    <div className="page">
      <div className="page-heading">
        <div>
          <Typography.Title level={2} className="page-title">
            {t('history.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('history.intro')}</Typography.Paragraph>
        </div>
        <Button icon={<DownloadOutlined />} href={transactionsCsvUrl(filters, currentLocale())} download>
          {t('history.exportCsv')}
        </Button>
      </div>
      <Card>
        <HistoryFiltersBar filters={filters} onChange={changeFilters} />
        <LastUpdated updatedAt={updated?.at} isFromMemory={updated?.isFromMemory ?? false} onRefresh={() => void reload()} />
        {error && (
          <Alert
            type="error"
            showIcon
            className="form-alert"
            title={error}
            action={
              <Button size="small" onClick={() => void reload()}>
                {t('common.retry')}
              </Button>
            }
          />
        )}
        {isNarrow ? (
          <Spin spinning={isLoading}>
            {pages && pages.rows.length === 0 ? (
              emptyText
            ) : (
              <ul className="history-list" aria-label={t('history.title')}>
                {(pages?.rows ?? []).map((transaction) => (
                  <li key={transaction.id} className="history-item">
                    <button type="button" className="history-item-open" onClick={() => setSelected(transaction)}>
                      <span className="history-item-row">
                        <span className="history-item-title">
                          {t(`history.types.${transaction.type}`)} <StatusTag status={transaction.status} />
                        </span>
                        <TransactionAmount transaction={transaction} />
                      </span>
                      <span className="history-item-row history-item-meta">
                        <span className="counterparty">{counterpartyOf(transaction, t)}</span>
                        <span>{formatDateTime(transaction.createdAt, locale)}</span>
                      </span>
                      {transaction.failure && (
                        <Typography.Text type={transaction.status === 'failed' ? 'danger' : 'secondary'} className="history-item-failure">
                          {transaction.failure.message}
                        </Typography.Text>
                      )}
                      <RefundNote refund={transaction.refund} compact />
                    </button>
                    {supportButton(transaction)}
                  </li>
                ))}
              </ul>
            )}
          </Spin>
        ) : (
          <Table<WalletTransaction>
            rowKey="id"
            columns={columns}
            dataSource={pages?.rows ?? []}
            loading={isLoading}
            pagination={false}
            locale={{ emptyText }}
            rowClassName="clickable-row"
            onRow={(transaction) => ({
              onClick: () => setSelected(transaction),
              // Only the row itself: Enter on the support button inside it must not open the details too.
              onKeyDown: (event) => event.key === 'Enter' && event.target === event.currentTarget && setSelected(transaction),
              tabIndex: 0,
            })}
          />
        )}
        <div className="load-more">
          {pages?.nextCursor ? (
            <Button onClick={() => void loadMore()} loading={isLoadingMore} disabled={isLoadingMore}>
              {t('history.loadMore')}
            </Button>
          ) : (
            pages && pages.rows.length > 0 && <Typography.Text type="secondary">{t('history.noMore')}</Typography.Text>
          )}
        </div>
        <Typography.Paragraph type="secondary" className="time-zone-note">
          {t('history.timeZoneNote')}
        </Typography.Paragraph>
      </Card>
      <TransactionDrawer transaction={selected} onClose={() => setSelected(undefined)} />
    </div>
  );
}
