import { CheckCircleFilled, LockOutlined } from '@ant-design/icons';
import type { CustomerSecurity, VerificationLevel } from '@okpay/contracts';
import { Alert, App, Button, Card, Col, Descriptions, Row, Skeleton, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SessionsCard } from '../account/sessions-card';
import { messageOf } from '../api/client';
import { useLoaded } from '../api/use-loaded';
import { freezeMyAccount, getSecurity } from '../api/wallet';
import { currentLocale } from '../i18n';
import { usePageTitle } from '../layout/use-page-title';
import { NotificationsCard } from '../pwa/notifications-card';
import { formatDateTime } from '../wallet/money';
import { IdentityVerificationForm } from './identity-verification-form';

const levelColours: Record<VerificationLevel, string> = {
  unverified: 'default',
  pending: 'processing',
  verified: 'success',
  rejected: 'error',
};

/** /app/security: whether the account is frozen and why, identity verification, freezing it yourself, and devices. */
export function SecurityPage() {
  const { t } = useTranslation();
  usePageTitle(t('security.title'));
  const { message, modal } = App.useApp();
  const security = useLoaded(['customer', 'security'], getSecurity);
  const [answer, setAnswer] = useState<CustomerSecurity>();
  const [isFreezing, setFreezing] = useState(false);
  const data = answer ?? security.data;
  const locale = currentLocale();

  const reload = useCallback(async () => {
    setAnswer(undefined);
    await security.reload();
  }, [security.reload]);

  const confirmFreeze = () =>
    modal.confirm({
      title: t('security.freezeConfirmTitle'),
      content: t('security.freezeConfirmBody'),
      okText: t('security.freezeConfirmOk'),
      okButtonProps: { danger: true },
      cancelText: t('app.cancel'),
      onOk: async () => {
        setFreezing(true);
        try {
          setAnswer(await freezeMyAccount());
          void message.success(t('security.frozenDone'));
        } catch (error) {
          void message.error(messageOf(error));
        } finally {
          setFreezing(false);
        }
      },
    });

  const verification = data?.verification;
  const canSubmitVerification = verification && (verification.level === 'unverified' || verification.level === 'rejected');

  return (
    <div className="page">
      <Typography.Title level={2} className="page-title">
        {t('security.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('security.intro')}</Typography.Paragraph>
      {security.error && <Alert type="error" showIcon title={security.error} className="form-alert" />}
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={t('security.statusTitle')} className="account-card">
            {!data ? (
              <Skeleton active />
            ) : data.isFrozen ? (
              data.freezes.map((freeze) => (
                <Alert
                  key={freeze.id}
                  type="error"
                  showIcon
                  icon={<LockOutlined />}
                  className="form-alert"
                  title={t('security.frozenTitle', { reason: t(`security.freezeReasons.${freeze.reason}`) })}
                  description={
                    <>
                      <p className="freeze-text">{freeze.meaning}</p>
                      <p className="freeze-text">
                        <strong>{t('security.whatToDo')}</strong>
                        {freeze.whatToDo}
                      </p>
                      <Typography.Text type="secondary">
                        {t('security.frozenSince', { time: formatDateTime(freeze.since, locale) })}
                      </Typography.Text>
                    </>
                  }
                />
              ))
            ) : (
              <div className="status-ok">
                <CheckCircleFilled className="status-ok-icon" />
                <div>
                  <div className="status-ok-title">{t('security.notFrozenTitle')}</div>
                  <Typography.Text type="secondary">{t('security.notFrozenBody')}</Typography.Text>
                </div>
              </div>
            )}
            {/* Money cannot move while any freeze holds, so freezing again would only add one to lift. */}
            {data && !data.isFrozen && (
              <div className="freeze-self">
                <Typography.Title level={5}>{t('security.freezeTitle')}</Typography.Title>
                <Typography.Paragraph type="secondary">{t('security.freezeBody')}</Typography.Paragraph>
                <Button danger icon={<LockOutlined />} onClick={confirmFreeze} loading={isFreezing} disabled={isFreezing}>
                  {t('security.freezeButton')}
                </Button>
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('security.verificationTitle')} className="account-card">
            {!verification ? (
              <Skeleton active />
            ) : (
              <>
                <div className="verification-level">
                  <Tag color={levelColours[verification.level]}>{t(`security.levels.${verification.level}`)}</Tag>
                  <span>{verification.message}</span>
                </div>
                {verification.latest && (
                  <Descriptions
                    size="small"
                    column={1}
                    className="verification-latest"
                    title={t('security.latestSubmission')}
                    items={[
                      { key: 'name', label: t('security.realName'), children: verification.latest.realName },
                      { key: 'type', label: t('security.idType'), children: t(`security.idTypes.${verification.latest.idType}`) },
                      {
                        key: 'number',
                        label: t('security.idNumber'),
                        children: <span className="mono">{verification.latest.idNumberMasked}</span>,
                      },
                      {
                        key: 'submitted',
                        label: t('security.submittedAt'),
                        children: formatDateTime(verification.latest.submittedAt, locale),
                      },
                    ]}
                  />
                )}
                {canSubmitVerification && (
                  <IdentityVerificationForm
                    onSubmitted={() => {
                      void message.success(t('security.submitted'));
                      void reload();
                    }}
                  />
                )}
              </>
            )}
          </Card>
        </Col>
        <Col span={24}>
          <SessionsCard />
        </Col>
        <Col span={24} id="notifications">
          <NotificationsCard />
        </Col>
      </Row>
    </div>
  );
}
