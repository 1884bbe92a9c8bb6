import { BellOutlined, MobileOutlined } from '@ant-design/icons';
import { type NotificationPreferences, type PushDevice, type PushNotificationKind, pushNotificationKinds } from '@okpay/contracts';
import { Alert, App, Button, Card, Checkbox, Divider, List, Space, Switch, Tag, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeDevice } from '../account/describe-device';
import { messageOf } from '../api/client';
import { getNotificationPreferences, listPushDevices, removePushDevice, saveNotificationPreferences } from '../api/push';
import { currentLocale } from '../i18n';
import { useCustomerSession } from '../session/sessions';
import { formatDateTime } from '../wallet/money';
import { currentSubscription, disablePushOnThisDevice, enablePushOnThisDevice, isPushOnHere, pushSupport } from './push-device';

/**
 * The devices page's notifications: this device on or off, every device that gets notifications
 * (removable one by one), which kinds to get, and quiet hours on each device's own clock.
 */
export function NotificationsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const [devices, setDevices] = useState<PushDevice[]>();
  const [preferences, setPreferences] = useState<NotificationPreferences>();
  const [error, setError] = useState<string>();
  const [isHere, setHere] = useState(false);
  const [isWorking, setWorking] = useState(false);
  const support = pushSupport();

  const load = useCallback(async () => {
    try {
      const [list, chosen] = await Promise.all([listPushDevices(), getNotificationPreferences()]);
      setDevices(list.devices);
      setPreferences(chosen);
      setError(undefined);
      const subscription = await currentSubscription().catch(() => null);
      setHere(Boolean(customerId && subscription && isPushOnHere(customerId) && list.devices.some((device) => device.isCurrentSession)));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [customerId]);

  useEffect(() => {
    void load();
  }, [load]);

  const toggleHere = async (on: boolean) => {
    if (!customerId) return;
    setWorking(true);
    try {
      if (on) {
        const outcome = await enablePushOnThisDevice(customerId);
        if (outcome.status === 'enabled') void message.success(t('pwa.push.enabled'));
        else void message.warning(outcome.status === 'denied' ? t('pwa.push.denied') : t('pwa.push.failed', { reason: outcome.reason }));
      } else await disablePushOnThisDevice();
    } catch (caught) {
      void message.error(messageOf(caught));
    } finally {
      setWorking(false);
      await load();
    }
  };

  const remove = async (device: PushDevice) => {
    try {
      await removePushDevice(device.id);
      if (device.isCurrentSession) await disablePushOnThisDevice();
      void message.success(t('pwa.push.removed'));
    } catch (caught) {
      void message.error(messageOf(caught));
    }
    await load();
  };

  const save = async (next: NotificationPreferences) => {
    setPreferences(next);
    try {
      setPreferences(await saveNotificationPreferences(next));
      void message.success(t('pwa.push.saved'));
    } catch (caught) {
      void message.error(messageOf(caught));
      await load();
    }
  };

  const locale = currentLocale();
  const quiet = preferences?.quietHours;
  const toTime = (value: string) => dayjs(`2000-01-01T${value}:00`);

  return (
    <Card title={t('pwa.push.cardTitle')} className="account-card notifications-card">
      <Typography.Paragraph type="secondary">{t('pwa.push.cardIntro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="form-alert" />}
      {support === 'unsupported' && <Alert type="info" showIcon title={t('pwa.push.unsupported')} className="form-alert" />}
      {support === 'needs-install' && <Alert type="info" showIcon title={t('pwa.push.needsInstall')} className="form-alert" />}
      {support === 'supported' && (
        <div className="this-device">
          <span>
            <BellOutlined aria-hidden="true" /> {t('pwa.push.thisDevice')}
          </span>
          <Switch
            checked={isHere}
            loading={isWorking}
            onChange={(on) => void toggleHere(on)}
            checkedChildren={t('pwa.push.thisDeviceOn')}
            unCheckedChildren={t('pwa.push.thisDeviceOff')}
            aria-label={t('pwa.push.enableLabel')}
          />
        </div>
      )}

      <Divider titlePlacement="start" plain>
        {t('pwa.push.devicesTitle')}
      </Divider>
      <List
        loading={devices === undefined && !error}
        dataSource={devices ?? []}
        locale={{ emptyText: t('pwa.push.devicesEmpty') }}
        aria-label={t('pwa.push.devicesTitle')}
        renderItem={(device) => (
          <List.Item
            key={device.id}
            actions={[
              <Button key="remove" size="small" danger onClick={() => void remove(device)}>
                {t('pwa.push.remove')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              avatar={<MobileOutlined className="session-icon" />}
              title={
                <Space size="small" wrap>
                  <span>{describeDevice(device.userAgent) ?? t('app.unknownDevice')}</span>
                  {device.isCurrentSession && <Tag color="blue">{t('app.currentDevice')}</Tag>}
                </Space>
              }
              description={
                <Space size="small" wrap separator="·">
                  <span>
                    {device.lastSentAt
                      ? t('pwa.push.lastSent', { time: formatDateTime(device.lastSentAt, locale) })
                      : t('pwa.push.neverSent')}
                  </span>
                  <span>{t('pwa.push.zone', { zone: device.timeZone })}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />

      {preferences && (
        <>
          <Divider titlePlacement="start" plain>
            {t('pwa.push.kindsTitle')}
          </Divider>
          <Space orientation="vertical">
            {pushNotificationKinds.map((kind: PushNotificationKind) => (
              <Checkbox
                key={kind}
                checked={preferences.push[kind]}
                onChange={(event) => void save({ ...preferences, push: { ...preferences.push, [kind]: event.target.checked } })}
              >
                {t(`pwa.push.kinds.${kind}`)}
              </Checkbox>
            ))}
          </Space>
          <Divider titlePlacement="start" plain>
            {t('pwa.push.quietTitle')}
          </Divider>
          <Space wrap align="center">
            <Switch
              checked={quiet !== null}
              aria-label={t('pwa.push.quietTitle')}
              onChange={(on) => void save({ ...preferences, quietHours: on ? { start: '22:00', end: '08:00' } : null })}
            />
            {quiet && (
              <TimePicker.RangePicker
                format="HH:mm"
                minuteStep={15}
                allowClear={false}
                order={false}
                value={[toTime(quiet.start), toTime(quiet.end)]}
                placeholder={[t('pwa.push.quietFrom'), t('pwa.push.quietTo')]}
                onChange={(range) => {
                  const [from, to] = range ?? [];
                  if (from && to) void save({ ...preferences, quietHours: { start: from.format('HH:mm'), end: to.format('HH:mm') } });
                }}
              />
            )}
          </Space>
          <Typography.Paragraph type="secondary" className="quiet-hint">
            {t('pwa.push.quietHint')}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
