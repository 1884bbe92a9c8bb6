import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { resendVerificationEmail } from '../api/identity';
import { useSubmission } from '../forms/use-submission';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';
import { SessionsCard } from './sessions-card';

/** /app: who is signed in, whether the email is verified, and where else they are signed in. */
export function AccountHomePage() {
  const { t } = useTranslation();
  usePageTitle(t('app.menuHome'));
  const { message } = App.useApp();
  const session = useCustomerSession();
  const resend = useSubmission();
  if (session.state.status !== 'signed-in') return null;
  const customer = session.state.account;

  const sendVerification = () =>
    resend.run(async () => {
      const answer = await resendVerificationEmail();
      void message.success(answer.message);
    });

  const emailBadge = customer.emailVerified ? (
    <Tag color="success" icon={<CheckCircleFilled />}>
      {t('app.emailVerified')}
    </Tag>
  ) : (
    <Tag color="warning" icon={<ExclamationCircleFilled />}>
      {t('app.emailUnverified')}
    </Tag>
  );

  return (
    <div className="account-home">
      <Typography.Title level={2} className="greeting">
        {t('app.greeting', { name: customer.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('app.welcome')}</Typography.Paragraph>

      {!customer.emailVerified && (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          title={t('app.emailUnverified')}
          description={
            <>
              {t('app.verifyHint')}
              {resend.error && <div className="inline-error">{resend.error}</div>}
            </>
          }
          action={
            <Button size="small" onClick={() => void sendVerification()} loading={resend.isSubmitting} disabled={resend.isSubmitting}>
              {t('app.resendVerification')}
            </Button>
          }
        />
      )}

      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={t('app.accountTitle')} className="account-card">
            <Descriptions
              column={1}
              items={[
                {
                  key: 'email',
                  label: t('form.email'),
                  children: (
                    <span className="email-line">
                      {customer.email} {emailBadge}
                    </span>
                  ),
                },
                { key: 'phone', label: t('app.phone'), children: customer.phone ?? t('app.noPhone') },
                {
                  key: 'since',
                  label: t('app.memberSince'),
                  children: new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long' }).format(new Date(customer.createdAt)),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('app.comingSoonTitle')} className="account-card">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('app.comingSoonBody')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col span={24}>
          <SessionsCard />
        </Col>
      </Row>
    </div>
  );
}
