import { DesktopOutlined } from '@ant-design/icons';
import type { SessionInfo } from '@okpay/contracts';
import { Alert, App, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api/client';
import { listMySessions, revokeMySession } from '../api/identity';
import { currentLocale } from '../i18n';
import { displayTimeZone } from '../wallet/money';
import { describeDevice } from './describe-device';

// In the account’s zone, like every other time in the app (see displayTimeZone).
function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: displayTimeZone() }).format(
    new Date(iso),
  );
}

type SessionsApi = { list: typeof listMySessions; revoke: (id: string) => Promise<unknown> };
const customerSessions: SessionsApi = { list: listMySessions, revoke: revokeMySession };

/** Where this customer (or, given the staff API, staff member) is signed in, with a way to sign any other device out. */
export function SessionsCard({ api = customerSessions, intro }: { api?: SessionsApi; intro?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [sessions, setSessions] = useState<SessionInfo[]>();
  const [loadError, setLoadError] = useState<string>();
  const [revoking, setRevoking] = useState<string>();

  const load = useCallback(async () => {
    try {
      const answer = await api.list();
      // This device first, then the most recently active.
      setSessions(
        [...answer.sessions].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || b.lastSeenAt.localeCompare(a.lastSeenAt)),
      );
      setLoadError(undefined);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (id: string) => {
    setRevoking(id);
    try {
      await api.revoke(id);
      void message.success(t('app.revoked'));
      await load();
    } catch (error) {
      void message.error(messageOf(error));
    } finally {
      setRevoking(undefined);
    }
  };

  return (
    <Card title={t('app.sessionsTitle')} className="account-card">
      <Typography.Paragraph type="secondary">{intro ?? t('app.sessionsIntro')}</Typography.Paragraph>
      {loadError && <Alert type="error" showIcon title={loadError} className="form-alert" />}
      <List
        loading={sessions === undefined && !loadError}
        dataSource={sessions ?? []}
        locale={{ emptyText: t('app.sessionsEmpty') }}
        renderItem={(session) => {
          const device = describeDevice(session.userAgent) ?? t('app.unknownDevice');
          return (
            <List.Item
              key={session.id}
              actions={
                session.isCurrent
                  ? []
                  : [
                      <Popconfirm
                        key="revoke"
                        title={t('app.revokeConfirm')}
                        okText={t('app.revokeConfirmOk')}
                        cancelText={t('app.cancel')}
                        onConfirm={() => revoke(session.id)}
                      >
                        <Button danger size="small" loading={revoking === session.id} aria-label={`${t('app.revoke')}: ${device}`}>
                          {t('app.revoke')}
                        </Button>
                      </Popconfirm>,
                    ]
              }
            >
              <List.Item.Meta
                avatar={<DesktopOutlined className="device-icon" />}
                title={
                  <Space>
                    <span>{device}</span>
                    {session.isCurrent && <Tag color="blue">{t('app.currentDevice')}</Tag>}
                  </Space>
                }
                description={
                  <Space size={[16, 0]} wrap>
                    <span>{t('app.lastActive', { time: formatTime(session.lastSeenAt) })}</span>
                    <span>{t('app.signedInAt', { time: formatTime(session.createdAt) })}</span>
                    {session.ip && <span>{t('app.ipAddress', { ip: session.ip })}</span>}
                  </Space>
                }
              />
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
