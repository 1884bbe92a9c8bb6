import { registerSW } from 'virtual:pwa-register';
import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** How often an open app asks whether a new version is out (also on coming back to the tab). */
const checkEveryMs = 60 * 60 * 1000;

/**
 * Registers the service worker and, when a new version has been fetched and waits, says so with a
 * refresh button. Nothing reloads by itself: a half-typed transfer must not vanish.
 */
export function AppUpdate() {
  const { t } = useTranslation();
  const [isWaiting, setWaiting] = useState(false);
  const update = useRef<((reload?: boolean) => Promise<void>) | undefined>(undefined);

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    let registration: ServiceWorkerRegistration | undefined;
    const check = () => {
      if (document.visibilityState === 'visible') void registration?.update().catch(() => undefined);
    };
    update.current = registerSW({
      immediate: true,
      onNeedRefresh: () => setWaiting(true),
      onRegisteredSW: (_url, registered) => {
        registration = registered;
        timer = setInterval(check, checkEveryMs);
      },
    });
    document.addEventListener('visibilitychange', check);
    return () => {
      if (timer) clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, []);

  if (!isWaiting) return null;
  return (
    <div className="app-update" role="status">
      <span>{t('pwa.update.ready')}</span>
      <Button type="primary" size="small" onClick={() => void update.current?.(true)}>
        {t('pwa.update.refresh')}
      </Button>
    </div>
  );
}
