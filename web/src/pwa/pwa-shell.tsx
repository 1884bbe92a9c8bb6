import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { currentLocale } from '../i18n';
import { useCustomerSession } from '../session/sessions';
import { isStaffPath } from '../support-chat/chat-widget-bridge';
import './pwa.css';
import { AppUpdate } from './app-update';
import { useIsOffline } from './network-status';
import { renewPushOnThisDevice } from './push-device';
import { PushPrompt } from './push-prompt';

type InAppNotice = { title: string; body: string; url: string };

/**
 * What makes the site an installable app: the service worker and its update prompt, the manifest
 * in the app's language, the offer to notify, this device's subscription kept current, and a push
 * that arrives while the app is on screen shown inside it instead of as a system notification.
 */
export function PwaShell() {
  useTranslation();
  const locale = currentLocale();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const isCustomerPage = !isStaffPath(pathname);
  const session = useCustomerSession();
  const customerId = session.state.status === 'signed-in' ? session.state.account.id : undefined;
  const isOffline = useIsOffline();

  useEffect(() => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    if (link) link.href = `/manifest.webmanifest?lang=${locale}`;
  }, [locale]);

  useEffect(() => {
    if (customerId && !isOffline) void renewPushOnThisDevice(customerId);
  }, [customerId, isOffline]);

  useEffect(() => {
    if (!isCustomerPage || !('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; notice?: InAppNotice } | null;
      if (data?.type !== 'okpay-push' || !data.notice) return;
      const { title, body, url } = data.notice;
      notification.info({
        key: url,
        title,
        description: body,
        onClick: () => {
          notification.destroy(url);
          void navigate(url);
        },
        className: 'clickable-notice',
      });
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [isCustomerPage, notification, navigate]);

  return (
    <>
      <AppUpdate />
      {isCustomerPage && <PushPrompt />}
    </>
  );
}
