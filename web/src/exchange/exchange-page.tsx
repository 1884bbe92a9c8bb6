import { SwapOutlined } from '@ant-design/icons';
import type { CurrencyCode, FxQuote, FxQuoteRequest } from '@okpay/contracts';
import { Alert, Button, Card, Col, Form, Result, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, messageOf, serverNow } from '../api/client';
import { useIdempotentSend } from '../api/idempotency-key';
import { useLoaded } from '../api/use-loaded';
import { createFxQuote, executeFxQuote, getBalances } from '../api/wallet';
import { minorUnitsOf } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { useIsOffline } from '../pwa/network-status';
import { OfflineMoneyNotice } from '../pwa/offline-money-notice';
import { AvailableBalance } from '../wallet/available-balance';
import { AmountField, CurrencySelect } from '../wallet/currency-select';
import { FrozenBanner } from '../wallet/frozen-banner';
import { formatMoney } from '../wallet/money';
import { QuoteDetails } from './quote-details';
import { useCountdown } from './use-countdown';

type ExchangeForm = { from: CurrencyCode; to: CurrencyCode; amount: string };

/** A quote as received, with how long it was valid for (the countdown bar's full length). */
type HeldQuote = { quote: FxQuote; request: FxQuoteRequest; validForSeconds: number };

/** /app/exchange: price an exchange, watch the quote's clock, and exchange at that rate before it runs out. */
export function ExchangePage() {
  const isOffline = useIsOffline();
  const { t } = useTranslation();
  usePageTitle(t('exchange.title'));
  const balances = useLoaded(['customer', 'balances'], getBalances);
  const [form] = Form.useForm<ExchangeForm>();
  const from = Form.useWatch('from', form);
  const [held, setHeld] = useState<HeldQuote>();
  const [isExpiredByServer, setExpiredByServer] = useState(false);
  const [executed, setExecuted] = useState<FxQuote>();
  const [executeError, setExecuteError] = useState<unknown>();
  const quoting = useSubmission();
  const executing = useSubmission();
  const sendOnce = useIdempotentSend();
  const countdown = useCountdown(held?.quote.expiresAt);
  const secondsLeft = isExpiredByServer ? 0 : countdown;

  const requestQuote = (request: FxQuoteRequest) =>
    quoting.run(async () => {
      const quote = await createFxQuote(request);
      const validForSeconds = Math.max(1, Math.round((Date.parse(quote.expiresAt) - serverNow()) / 1000));
      setHeld({ quote, request, validForSeconds });
      setExpiredByServer(false);
      setExecuteError(undefined);
    });

  const submit = (values: ExchangeForm) =>
    requestQuote({ from: values.from, to: values.to, amount: minorUnitsOf(values.amount, values.from) });

  const execute = (quote: FxQuote) =>
    executing.run(
      async () => {
        setExecuteError(undefined);
        setExecuted(await sendOnce({ quoteId: quote.id }, (idempotencyKey) => executeFxQuote(quote.id, idempotencyKey)));
        void balances.reload();
      },
      (error) => {
        setExecuteError(error);
        // The server's clock is the one that counts: once it says expired, offer a new quote.
        if (error instanceof ApiError && error.code === 'quote_expired') setExpiredByServer(true);
      },
    );

  const startOver = () => {
    setExecuted(undefined);
    setHeld(undefined);
    form.resetFields(['amount']);
  };

  const swap = () => {
    const values = form.getFieldsValue();
    form.setFieldsValue({ from: values.to, to: values.from });
    setHeld(undefined);
    void form.validateFields(['amount']).catch(() => undefined);
  };

  if (executed) {
    return (
      <div className="page">
        <Typography.Title level={2} className="page-title">
          {t('exchange.title')}
        </Typography.Title>
        <Card className="form-card">
          <Result
            className="outcome-result"
            status="success"
            title={t('exchange.doneTitle')}
            subTitle={
              <span role="status">
                {t('exchange.doneBody', { paid: formatMoney(executed.sourceAmount), received: formatMoney(executed.amountReceived) })}
              </span>
            }
            extra={[
              <ButtonLink key="wallet" to="/app/wallet" type="primary">
                {t('topUp.toWallet')}
              </ButtonLink>,
              <Button key="again" onClick={startOver}>
                {t('exchange.again')}
              </Button>,
            ]}
          />
        </Card>
      </div>
    );
  }

  const isInsufficient = executeError instanceof ApiError && executeError.code === 'insufficient_funds';

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('exchange.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('exchange.intro')}</Typography.Paragraph>
      {balances.data?.isFrozen && <FrozenBanner />}
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Card title={t('exchange.formTitle')} className="account-card">
            <Form<ExchangeForm>
              form={form}
              name="exchange"
              layout="vertical"
              requiredMark={false}
              onFinish={submit}
              disabled={quoting.isSubmitting}
              initialValues={{ from: 'CNY', to: 'USD' }}
              // A quote prices exactly what was asked; any change needs a new one.
              onValuesChange={() => setHeld(undefined)}
            >
              <OfflineMoneyNotice action="exchange" />
              {quoting.error && <Alert type="error" showIcon title={quoting.error} className="form-alert" />}
              <div className="currency-pair">
                <Form.Item label={t('exchange.from')} name="from" rules={[{ required: true }]}>
                  <CurrencySelect />
                </Form.Item>
                <Button
                  icon={<SwapOutlined />}
                  onClick={swap}
                  aria-label={t('exchange.swap')}
                  title={t('exchange.swap')}
                  className="currency-swap"
                />
                <Form.Item
                  label={t('exchange.to')}
                  name="to"
                  dependencies={['from']}
                  rules={[
                    { required: true },
                    {
                      validator: async (_rule, value) => {
                        if (value && value === form.getFieldValue('from')) throw new Error(t('exchange.sameCurrency'));
                      },
                    },
                  ]}
                >
                  <CurrencySelect />
                </Form.Item>
              </div>
              <AmountField
                form={form}
                currencyField="from"
                label={t('exchange.amountLabel')}
                extra={<AvailableBalance balances={balances.data} currency={from} />}
              />
              <Button htmlType="submit" block size="large" loading={quoting.isSubmitting} disabled={quoting.isSubmitting || isOffline}>
                {t('exchange.getQuote')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('exchange.quoteTitle')} className="account-card">
            {!held ? (
              <Typography.Paragraph type="secondary" className="quote-empty">
                {t('exchange.noQuote')}
              </Typography.Paragraph>
            ) : (
              <>
                <QuoteDetails quote={held.quote} secondsLeft={secondsLeft} validForSeconds={held.validForSeconds} />
                {executeError !== undefined && (
                  <Alert
                    type="error"
                    showIcon
                    role="alert"
                    className="form-alert"
                    title={messageOf(executeError)}
                    description={isInsufficient ? <Link to="/app/top-up">{t('exchange.topUpFirst')}</Link> : undefined}
                  />
                )}
                {secondsLeft > 0 ? (
                  <Button
                    type="primary"
                    block
                    size="large"
                    onClick={() => void execute(held.quote)}
                    loading={executing.isSubmitting}
                    disabled={executing.isSubmitting || isOffline}
                  >
                    {t('exchange.confirm')}
                  </Button>
                ) : (
                  <Space orientation="vertical" className="full-width">
                    <Alert type="warning" showIcon title={t('exchange.expiredTitle')} description={t('exchange.expiredBody')} />
                    <Button
                      type="primary"
                      block
                      size="large"
                      onClick={() => void requestQuote(held.request)}
                      loading={quoting.isSubmitting}
                      disabled={quoting.isSubmitting}
                    >
                      {t('exchange.refreshQuote')}
                    </Button>
                  </Space>
                )}
              </>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
