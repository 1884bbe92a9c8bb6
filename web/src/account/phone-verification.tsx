import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import type { Customer } from '@okpay/contracts';
import { Button, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sendPhoneCode, verifyPhoneCode } from '../api/identity';
import { useSubmission } from '../forms/use-submission';
import { useCustomerSession } from '../session/sessions';

/** The account's phone: shown with whether it is verified; a new one is added with a texted code. */
export function PhoneLine({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const session = useCustomerSession();
  const [isEditing, setEditing] = useState(false);
  const [sentTo, setSentTo] = useState<string>();
  const send = useSubmission();
  const verify = useSubmission();
  const [phone, setPhone] = useState(customer.phone?.startsWith('+') ? customer.phone : '+86');
  const [code, setCode] = useState('');

  const badge =
    customer.phone === null ? null : customer.phoneVerified ? (
      <Tag color="success" icon={<CheckCircleFilled />}>
        {t('app.phoneVerified')}
      </Tag>
    ) : (
      <Tag color="warning" icon={<ExclamationCircleFilled />}>
        {t('app.phoneNotVerified')}
      </Tag>
    );

  if (!isEditing) {
    return (
      <Space wrap>
        <span>{customer.phone ?? t('app.noPhone')}</span>
        {badge}
        {!customer.phoneVerified && (
          <Button size="small" onClick={() => setEditing(true)} data-testid="verify-phone">
            {customer.phone ? t('app.verifyPhone') : t('app.addPhone')}
          </Button>
        )}
      </Space>
    );
  }

  return (
    <Form layout="vertical" className="phone-verification" data-testid="phone-verification">
      <Form.Item label={t('app.phoneWithCountryCode')} help={send.error} validateStatus={send.error ? 'error' : undefined}>
        <Space.Compact block>
          <Input type="tel" autoComplete="tel" maxLength={32} value={phone} onChange={(event) => setPhone(event.target.value)} />
          <Button
            loading={send.isSubmitting}
            onClick={() =>
              send.run(async () => {
                const sent = await sendPhoneCode(phone);
                setSentTo(sent.phone);
              })
            }
          >
            {sentTo ? t('app.resendPhoneCode') : t('app.sendPhoneCode')}
          </Button>
        </Space.Compact>
      </Form.Item>
      {sentTo && (
        <Form.Item
          label={t('app.phoneCode')}
          extra={<Typography.Text type="secondary">{t('app.phoneCodeSent', { phone: sentTo })}</Typography.Text>}
          help={verify.error}
          validateStatus={verify.error ? 'error' : undefined}
        >
          <Space.Compact block>
            <Input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
            <Button
              type="primary"
              loading={verify.isSubmitting}
              onClick={() =>
                verify.run(async () => {
                  const me = await verifyPhoneCode(code);
                  session.signedIn(me.customer, me.csrfToken);
                  setEditing(false);
                })
              }
            >
              {t('app.confirmPhoneCode')}
            </Button>
          </Space.Compact>
        </Form.Item>
      )}
    </Form>
  );
}
