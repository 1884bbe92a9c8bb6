import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Row, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { resendVerificationEmail } from '../api/identity';
import { getBalances } from '../api/wallet';
import { useSubmission } from '../forms/use-submission';
import { currentLocale } from '../i18n';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { LastUpdated } from '../pwa/last-updated';
import { useLastKnown } from '../pwa/use-last-known';
import { useCustomerSession } from '../session/sessions';
import { BalanceGrid } from '../wallet/balance-grid';
import { FrozenBanner } from '../wallet/frozen-banner';
import { displayTimeZone } from '../wallet/money';
import { QuickLinks } from '../wallet/quick-links';
import { PhoneLine } from './phone-verification';

/** /app: the balances at a glance, the wallet's actions, and who is signed in. */
export function AccountHomePage() {
  const { t } = useTranslation();
  usePageTitle(t('app.menuHome'));
  const { message } = App.useApp();
  const session = useCustomerSession();
  const resend = useSubmission();
  const balances = useLastKnown('balances', getBalances);
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

      {balances.data?.isFrozen && <FrozenBanner />}

      <Row gutter={[24, 24]}>
        <Col span={24}>
          <Card
            title={t('app.balancesTitle')}
            extra={
              <ButtonLink to="/app/wallet" type="link" size="small">
                {t('app.toWallet')}
              </ButtonLink>
            }
          >
            <LastUpdated updatedAt={balances.updatedAt} isFromMemory={balances.isFromMemory} onRefresh={() => void balances.reload()} />
            {balances.error && <Alert type="error" showIcon title={balances.error} />}
            {!balances.data && !balances.error && <Skeleton active paragraph={{ rows: 1 }} />}
            {balances.data && <BalanceGrid balances={balances.data.balances} />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('app.quickLinksTitle')} className="account-card">
            <QuickLinks />
          </Card>
        </Col>
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
                { key: 'phone', label: t('app.phone'), children: <PhoneLine customer={customer} /> },
                {
                  key: 'since',
                  label: t('app.memberSince'),
                  children: new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeZone: displayTimeZone() }).format(
                    new Date(customer.createdAt),
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
