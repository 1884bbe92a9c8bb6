import { Alert } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnectionCount, useConnectionStatus } from './console-context';

/** Says when the live connection is down (and that nothing is lost), and briefly when it is back. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const status = useConnectionStatus();
  const count = useConnectionCount();
  const [isBack, setBack] = useState(false);
  const wasDown = useRef(false);

  useEffect(() => {
    if (status === 'reconnecting') wasDown.current = true;
  }, [status]);

  useEffect(() => {
    if (count < 2 || !wasDown.current) return;
    wasDown.current = false;
    setBack(true);
    const timer = setTimeout(() => setBack(false), 4_000);
    return () => clearTimeout(timer);
  }, [count]);

  if (status === 'reconnecting') {
    return (
      <Alert
        className="connection-banner"
        type="warning"
        showIcon
        role="status"
        title={t('console.connection.lost')}
        description={t('console.connection.lostHint')}
      />
    );
  }
  if (isBack) return <Alert className="connection-banner" type="success" showIcon role="status" title={t('console.connection.back')} />;
  return null;
}
