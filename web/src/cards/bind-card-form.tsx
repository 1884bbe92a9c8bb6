import type { Card as BoundCard } from '@okpay/contracts';
import { Alert, Button, Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { bindCard } from '../api/wallet';
import { markFieldErrors } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { useIsOffline } from '../pwa/network-status';
import { OfflineMoneyNotice } from '../pwa/offline-money-notice';
import { CardNumberInput } from './card-number-input';
import { TestCardsPanel } from './test-cards-panel';

type BindCardForm = { number: string; expMonth: number; expYear: number; cvc: string; holderName: string };

// The bank's refusals name the field to look at again.
const fieldsByCode = { incorrect_number: 'number', expired_card: 'expYear', invalid_cvc: 'cvc', incorrect_cvc: 'cvc' };

const months = Array.from({ length: 12 }, (_, index) => index + 1);

/** Number, expiry, CVC and name; the server checks them with the bank and answers in words. */
export function BindCardForm({ onBound }: { onBound: (card: BoundCard) => void }) {
  const isOffline = useIsOffline();
  const { t } = useTranslation();
  const [form] = Form.useForm<BindCardForm>();
  const { isSubmitting, error, run } = useSubmission();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 16 }, (_, index) => thisYear + index);

  const submit = (values: BindCardForm) =>
    run(
      async () => {
        const card = await bindCard({
          number: values.number.replace(/\s/g, ''),
          expMonth: values.expMonth,
          expYear: values.expYear,
          // The CVC travels once, to the bank's check; it is never stored (PCI DSS 3.3.1).
          cvc: values.cvc.trim(),
          holderName: values.holderName.trim(),
        });
        form.resetFields();
        onBound(card);
      },
      (caught) => {
        if (caught instanceof ApiError) markFieldErrors(form, caught, t, fieldsByCode);
      },
    );

  return (
    <>
      <TestCardsPanel onUse={(number) => form.setFieldsValue({ number })} />
      <Form<BindCardForm>
        form={form}
        name="bindCard"
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={isSubmitting}
        className="bind-card-form"
      >
        <OfflineMoneyNotice action="bindCard" />
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item
          label={t('cards.number')}
          name="number"
          rules={[
            { required: true, message: t('cards.numberRequired') },
            { pattern: /^[\d ]{12,23}$/, message: t('cards.numberShort') },
          ]}
          validateTrigger="onBlur"
        >
          <CardNumberInput placeholder="0000 0000 0000 0000" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12} sm={8}>
            <Form.Item label={t('cards.expMonth')} name="expMonth" rules={[{ required: true, message: t('cards.expMonthRequired') }]}>
              <Select
                placeholder={t('cards.monthPlaceholder')}
                options={months.map((month) => ({ value: month, label: String(month).padStart(2, '0') }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item label={t('cards.expYear')} name="expYear" rules={[{ required: true, message: t('cards.expYearRequired') }]}>
              <Select placeholder={t('cards.yearPlaceholder')} options={years.map((year) => ({ value: year, label: String(year) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              label={t('cards.cvc')}
              name="cvc"
              rules={[
                { required: true, message: t('cards.cvcRequired') },
                { pattern: /^\s*\d{3,4}\s*$/, message: t('cards.cvcInvalid') },
              ]}
              tooltip={t('cards.cvcHint')}
              validateTrigger="onBlur"
            >
              <Input.Password inputMode="numeric" autoComplete="cc-csc" maxLength={4} placeholder="123" visibilityToggle={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          label={t('cards.holderName')}
          name="holderName"
          rules={[
            { required: true, whitespace: true, message: t('cards.holderNameRequired') },
            { max: 100, message: t('cards.holderNameTooLong') },
          ]}
        >
          <Input autoComplete="cc-name" placeholder={t('cards.holderNamePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={isSubmitting} disabled={isSubmitting || isOffline} block>
          {t('cards.bind')}
        </Button>
      </Form>
    </>
  );
}
