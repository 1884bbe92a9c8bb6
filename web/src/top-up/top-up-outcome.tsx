import { ClockCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import type { TopUp } from '@okpay/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Result, Space } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getTopUp } from '../api/wallet';
import { CardLabel } from '../cards/card-label';
import { ButtonLink } from '../layout/button-link';
import { formatMoney } from '../wallet/money';
import { type NextStep, nextStepOf } from '../wallet/next-step';
import { ContactSupportAboutTopUp } from './contact-support-button';
import { RefundNote } from './refund-note';

/** How often a top-up waiting for the bank is asked about again. */
export const topUpPollMs = 3_000;

/** Asks about a pending top-up every few seconds until the bank's answer is in. */
function usePendingTopUpPoll(topUp: TopUp, onChange: (topUp: TopUp) => void) {
  const isPending = topUp.status === 'pending';
  const { data: latest } = useQuery({
    queryKey: ['customer', 'top-up', topUp.id],
    queryFn: () => getTopUp(topUp.id),
    enabled: isPending,
    // The first look after one interval, as the bank needs a moment; a failed look is not an answer.
    initialData: topUp,
    initialDataUpdatedAt: Date.now(),
    staleTime: topUpPollMs,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? topUpPollMs : false),
    retry: false,
  });
  useEffect(() => {
    if (isPending && latest && latest.status !== 'pending') onChange(latest);
  }, [isPending, latest, onChange]);
}

/** The answer to a top-up: credited, declined with what to do next, or waiting for the bank (polled). */
export function TopUpOutcome({
  topUp,
  onChange,
  onBack,
}: {
  topUp: TopUp;
  onChange: (topUp: TopUp) => void;
  /** Back to the form with the same details, to retry or pick another card. */
  onBack: () => void;
}) {
  const { t } = useTranslation();
  usePendingTopUpPoll(topUp, onChange);
  const amount = formatMoney(topUp.amount);
  const card = <CardLabel brand={topUp.card.brand} last4={topUp.card.last4} />;

  if (topUp.status === 'succeeded') {
    return (
      <Result
        className="outcome-result"
        status="success"
        title={t('topUp.succeededTitle')}
        subTitle={
          <span role="status">
            {t('topUp.succeededBody', { amount })}
            {card}
          </span>
        }
        extra={[
          <ButtonLink key="wallet" to="/app/wallet" type="primary">
            {t('topUp.toWallet')}
          </ButtonLink>,
          <Button key="again" onClick={onBack}>
            {t('topUp.again')}
          </Button>,
        ]}
      />
    );
  }

  if (topUp.status === 'pending') {
    return (
      <Result
        className="outcome-result"
        icon={<ClockCircleOutlined />}
        status="info"
        title={t('topUp.pendingTitle')}
        subTitle={
          <span role="status">
            {amount} · {card}
          </span>
        }
        extra={
          <ButtonLink to="/app/history" type="default">
            {t('topUp.toHistory')}
          </ButtonLink>
        }
      >
        <Alert type="info" showIcon title={topUp.failure?.message ?? t('topUp.pendingFallback')} description={t('topUp.pendingHint')} />
        <div className="poll-line">
          <LoadingOutlined /> {t('topUp.polling', { seconds: topUpPollMs / 1000 })}
        </div>
      </Result>
    );
  }

  const nextStep = nextStepOf(topUp.failure?.nextStep);
  const stepActions: Record<NextStep, ReactNode> = {
    check_card_details: (
      <ButtonLink key="cards" to="/app/cards">
        {t('topUp.manageCards')}
      </ButtonLink>
    ),
    use_another_card: (
      <Button key="another" onClick={onBack}>
        {t('topUp.useAnotherCard')}
      </Button>
    ),
    retry_later: (
      <Button key="retry" onClick={onBack}>
        {t('topUp.tryAgain')}
      </Button>
    ),
    contact_support: null,
    wait: null,
    refund_on_its_way: (
      <ButtonLink key="history" to="/app/history">
        {t('topUp.toHistory')}
      </ButtonLink>
    ),
  };

  return (
    <Result
      className="outcome-result"
      status="error"
      title={t('topUp.failedTitle')}
      subTitle={
        <span>
          {amount} · {card}
        </span>
      }
    >
      <Alert
        type="error"
        showIcon
        role="alert"
        title={topUp.failure?.message ?? t('topUp.failedFallback')}
        description={t(`topUp.nextSteps.${nextStep}`)}
      />
      <RefundNote refund={topUp.refund} />
      {/* Why, then what to do, then the buttons to do it. */}
      <Space wrap className="result-actions">
        <ContactSupportAboutTopUp topUpId={topUp.id} type="primary" />
        {stepActions[nextStep]}
      </Space>
    </Result>
  );
}
