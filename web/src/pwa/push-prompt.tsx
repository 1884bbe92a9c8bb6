import { BellOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerSession } from '../session/sessions';
import { enablePushOnThisDevice, isPushOnHere, notificationPermission, pushSupport } from './push-device';

const dismissedKey = 'okpay.push.promptDismissedAt';
/** "Not now" is respected for a month. */
const quietForMs = 30 * 24 * 3_600_000;

function wasDismissedRecently(): boolean {
  try {
    return Date.now() - Number(window.localStorage.getItem(dismissedKey) ?? 0) < quietForMs;
  } catch {
    return false;
  }
}

function rememberDismissal(): void {
  try {
    window.localStorage.setItem(dismissedKey, String(Date.now()));
  } catch {
    // Asked again next time, no harm.
  }
}

/**
 * Offers notifications at the moment they make sense: the signed-in customer has just written to
 * support and closes the chat, so the answer will come while they are away. Never on a first
 * visit, never when already on or refused in the browser, and "not now" holds for a month. The
 * browser's own permission prompt only follows a click on "turn on".
 */
export function PushPrompt() {
  const { t } = useTranslation();
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const [isShown, setShown] = useState(false);
  const [isWorking, setWorking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const support = pushSupport();

  useEffect(() => {
    const onChatClosed = (event: Event) => {
      const detail = (event as CustomEvent<{ hasWritten?: boolean }>).detail;
      if (!detail?.hasWritten || !customerId || support === 'unsupported') return;
      if (notificationPermission() === 'denied' || isPushOnHere(customerId) || wasDismissedRecently()) return;
      setProblem(undefined);
      setShown(true);
    };
    window.addEventListener('okpay-chat:closed', onChatClosed);
    return () => window.removeEventListener('okpay-chat:closed', onChatClosed);
  }, [customerId, support]);

  if (!isShown || !customerId) return null;

  const dismiss = () => {
    rememberDismissal();
    setShown(false);
  };
  const enable = async () => {
    setWorking(true);
    const outcome = await enablePushOnThisDevice(customerId);
    setWorking(false);
    if (outcome.status === 'enabled') setShown(false);
    else setProblem(outcome.status === 'denied' ? t('pwa.push.denied') : t('pwa.push.failed', { reason: outcome.reason }));
  };

  return (
    <div className="push-prompt" role="dialog" aria-labelledby="push-prompt-title">
      <Typography.Title level={5} id="push-prompt-title" className="push-prompt-title">
        <BellOutlined aria-hidden="true" /> {t('pwa.push.promptTitle')}
      </Typography.Title>
      <Typography.Paragraph className="push-prompt-body">
        {support === 'needs-install' ? t('pwa.push.needsInstall') : t('pwa.push.promptBody')}
      </Typography.Paragraph>
      {problem && <Alert type="warning" showIcon className="form-alert" title={problem} />}
      <Space>
        {support === 'supported' && !problem && (
          <Button type="primary" onClick={() => void enable()} loading={isWorking}>
            {t('pwa.push.enable')}
          </Button>
        )}
        <Button onClick={dismiss}>{t('pwa.push.later')}</Button>
      </Space>
    </div>
  );
}
