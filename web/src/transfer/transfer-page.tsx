import type { CurrencyCode, Transfer, TransferRequest } from '@okpay/contracts';
import { passwordResetRequestSchema, phoneSchema } from '@okpay/contracts';
import type { FormRule } from 'antd';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Result, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotentSend } from '../api/idempotency-key';
import { useLoaded } from '../api/use-loaded';
import { getBalances, sendTransfer } from '../api/wallet';
import { markFieldErrors, minorUnitsOf, normalisePhone } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { useIsOffline } from '../pwa/network-status';
import { OfflineMoneyNotice } from '../pwa/offline-money-notice';
import { AvailableBalance } from '../wallet/available-balance';
import { AmountField, CurrencySelect } from '../wallet/currency-select';
import { FrozenBanner } from '../wallet/frozen-banner';
import { formatMoney } from '../wallet/money';

type TransferForm = { recipient: string; amount: string; currency: CurrencyCode; note?: string };

const noteMaxLength = 140;
const emailSchema = passwordResetRequestSchema.shape.email;

/** The recipient as the API wants it: an email as typed, a phone number as digits only. */
function recipientOf(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('@') ? trimmed : (normalisePhone(trimmed) ?? '');
}

function recipientRules(t: TFunction): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('transfer.recipientRequired') },
    {
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.trim() === '') return;
        const recipient = recipientOf(value);
        const isValid = recipient.includes('@') ? emailSchema.safeParse(recipient).success : phoneSchema.safeParse(recipient).success;
        if (!isValid) throw new Error(t('transfer.recipientInvalid'));
      },
    },
  ];
}

/** /app/transfer: send money to another OKPay customer, after confirming the amount. */
export function TransferPage() {
  const isOffline = useIsOffline();
  const { t } = useTranslation();
  usePageTitle(t('transfer.title'));
  const balances = useLoaded(['customer', 'balances'], getBalances);
  const [form] = Form.useForm<TransferForm>();
  const currency = Form.useWatch('currency', form);
  const [confirming, setConfirming] = useState<TransferRequest>();
  const [sent, setSent] = useState<Transfer>();
  const sendOnce = useIdempotentSend();
  const { isSubmitting, error, run } = useSubmission();

  const review = (values: TransferForm) => {
    const note = values.note?.trim();
    setConfirming({
      recipient: recipientOf(values.recipient),
      amount: minorUnitsOf(values.amount, values.currency),
      currency: values.currency,
      ...(note ? { note } : {}),
    });
  };

  const confirm = (request: TransferRequest) =>
    run(
      async () => {
        setSent(await sendOnce(request, (idempotencyKey) => sendTransfer(request, idempotencyKey)));
        setConfirming(undefined);
        form.resetFields();
        void balances.reload();
      },
      (caught) => {
        setConfirming(undefined);
        markFieldErrors(form, caught, t, {
          recipient_not_found: 'recipient',
          transfer_to_self: 'recipient',
          recipient_cannot_receive: 'recipient',
          insufficient_funds: 'amount',
          amount_too_large: 'amount',
          amount_too_small: 'amount',
        });
      },
    );

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('transfer.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('transfer.intro')}</Typography.Paragraph>
      {balances.data?.isFrozen && <FrozenBanner />}
      <Card className="form-card">
        {sent ? (
          <Result
            className="outcome-result"
            status="success"
            title={t('transfer.doneTitle')}
            subTitle={
              <span role="status">
                {t('transfer.doneBody', {
                  amount: formatMoney(sent.amount),
                  name: sent.recipient.displayName,
                  contact: sent.recipient.maskedContact,
                })}
              </span>
            }
            extra={[
              <Button key="again" type="primary" onClick={() => setSent(undefined)}>
                {t('transfer.again')}
              </Button>,
              <ButtonLink key="history" to="/app/history">
                {t('topUp.toHistory')}
              </ButtonLink>,
            ]}
          >
            {sent.note && (
              <Typography.Paragraph type="secondary" className="centred-text">
                {t('transfer.noteLine', { note: sent.note })}
              </Typography.Paragraph>
            )}
          </Result>
        ) : (
          <Form<TransferForm>
            form={form}
            name="transfer"
            layout="vertical"
            requiredMark={false}
            onFinish={review}
            disabled={isSubmitting}
            initialValues={{ currency: 'CNY' }}
          >
            <OfflineMoneyNotice action="transfer" />
            {error && !confirming && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
            <Form.Item
              label={t('transfer.recipient')}
              name="recipient"
              rules={recipientRules(t)}
              validateTrigger="onBlur"
              extra={t('transfer.recipientHint')}
            >
              <Input autoComplete="off" placeholder={t('transfer.recipientPlaceholder')} />
            </Form.Item>
            <Form.Item label={t('money.currency')} name="currency" rules={[{ required: true }]}>
              <CurrencySelect />
            </Form.Item>
            <AmountField
              form={form}
              currencyField="currency"
              label={t('money.amount')}
              extra={<AvailableBalance balances={balances.data} currency={currency} />}
            />
            <Form.Item
              label={t('transfer.note')}
              name="note"
              rules={[{ max: noteMaxLength, message: t('transfer.noteTooLong', { max: noteMaxLength }) }]}
            >
              <Input.TextArea rows={2} maxLength={noteMaxLength} showCount placeholder={t('transfer.notePlaceholder')} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" className="form-submit" disabled={isOffline}>
              {t('transfer.next')}
            </Button>
          </Form>
        )}
      </Card>
      <Modal
        open={confirming !== undefined}
        title={t('transfer.confirmTitle')}
        okText={t('transfer.confirmOk')}
        cancelText={t('app.cancel')}
        onOk={() => confirming && void confirm(confirming)}
        onCancel={() => setConfirming(undefined)}
        okButtonProps={{ loading: isSubmitting, disabled: isSubmitting || isOffline }}
        cancelButtonProps={{ disabled: isSubmitting }}
        mask={{ closable: !isSubmitting }}
        destroyOnHidden
      >
        {confirming && (
          <>
            <div className="confirm-amount">{formatMoney({ amount: confirming.amount, currency: confirming.currency })}</div>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'to', label: t('transfer.recipient'), children: confirming.recipient },
                ...(confirming.note ? [{ key: 'note', label: t('transfer.note'), children: confirming.note }] : []),
              ]}
            />
            <Typography.Paragraph type="secondary" className="confirm-hint">
              {t('transfer.confirmHint')}
            </Typography.Paragraph>
          </>
        )}
      </Modal>
    </div>
  );
}
