import type { CurrencyCode, TopUp, TopUpRequest } from '@okpay/contracts';
import { Alert, Button, Card, Empty, Form, Select, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useIdempotentSend } from '../api/idempotency-key';
import { useLoaded } from '../api/use-loaded';
import { createTopUp, getBalances, listCards } from '../api/wallet';
import { CardLabel } from '../cards/card-label';
import { minorUnitsOf } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { useIsOffline } from '../pwa/network-status';
import { OfflineMoneyNotice } from '../pwa/offline-money-notice';
import { AmountField, CurrencySelect } from '../wallet/currency-select';
import { FrozenBanner } from '../wallet/frozen-banner';
import { TopUpOutcome } from './top-up-outcome';

type TopUpForm = { cardId: string; amount: string; currency: CurrencyCode };

/** /app/top-up: money in from a bound card, with the bank's answer (or the wait for it) in plain words. */
export function TopUpPage() {
  const isOffline = useIsOffline();
  const { t } = useTranslation();
  usePageTitle(t('topUp.title'));
  const [searchParams] = useSearchParams();
  const cards = useLoaded(['customer', 'cards'], listCards);
  const balances = useLoaded(['customer', 'balances'], getBalances);
  const [form] = Form.useForm<TopUpForm>();
  const [lastValues, setLastValues] = useState<TopUpForm>();
  const [topUp, setTopUp] = useState<TopUp>();
  const sendOnce = useIdempotentSend();
  const { isSubmitting, error, run } = useSubmission();

  const list = cards.data?.cards;
  const preferredCard = list?.find((card) => card.id === searchParams.get('card'))?.id ?? list?.[0]?.id;

  const submit = (values: TopUpForm) =>
    run(async () => {
      setLastValues(values);
      const request: TopUpRequest = {
        cardId: values.cardId,
        amount: minorUnitsOf(values.amount, values.currency),
        currency: values.currency,
      };
      setTopUp(await sendOnce(request, (idempotencyKey) => createTopUp(request, idempotencyKey)));
    });

  const body = () => {
    if (topUp) return <TopUpOutcome topUp={topUp} onChange={setTopUp} onBack={() => setTopUp(undefined)} />;
    if (cards.error) return <Alert type="error" showIcon title={cards.error} />;
    if (!list) return <Skeleton active />;
    if (list.length === 0) {
      return (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('topUp.noCards')} className="console-empty">
          <ButtonLink to="/app/cards" type="primary">
            {t('topUp.bindCard')}
          </ButtonLink>
        </Empty>
      );
    }
    return (
      <Form<TopUpForm>
        form={form}
        name="topUp"
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={isSubmitting}
        initialValues={lastValues ?? { cardId: preferredCard, currency: 'CNY' }}
      >
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item label={t('topUp.card')} name="cardId" rules={[{ required: true, message: t('topUp.cardRequired') }]}>
          <Select options={list.map((card) => ({ value: card.id, label: <CardLabel brand={card.brand} last4={card.last4} showIcon /> }))} />
        </Form.Item>
        <Form.Item label={t('money.currency')} name="currency" rules={[{ required: true }]}>
          <CurrencySelect />
        </Form.Item>
        <AmountField form={form} currencyField="currency" label={t('money.amount')} extra={t('topUp.amountHint')} />
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting || isOffline}>
          {t('topUp.submit')}
        </Button>
      </Form>
    );
  };

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('topUp.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('topUp.intro')}</Typography.Paragraph>
      {balances.data?.isFrozen && <FrozenBanner />}
      <OfflineMoneyNotice action="topUp" />
      <Card className="form-card">{body()}</Card>
    </div>
  );
}
