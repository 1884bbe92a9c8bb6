import {
  CreditCardOutlined,
  CustomerServiceOutlined,
  HistoryOutlined,
  HomeOutlined,
  PlusCircleOutlined,
  SafetyOutlined,
  SendOutlined,
  SwapOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import type { Locale } from '@okpay/contracts';
import { Avatar, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { logOut, updateMyLocale } from '../api/identity';
import { ShellLayout, type ShellMenuItem } from '../layout/shell-layout';
import { forgetLastKnown } from '../pwa/last-known';
import { OfflineBanner } from '../pwa/offline-banner';
import { forgetPushOnThisDevice } from '../pwa/push-device';
import { useCustomerSession } from '../session/sessions';
import { useSignOut } from '../session/use-sign-out';

/**
 * Signing out also ends this device's notifications (the server drops them with the session) and
 * forgets what was kept for offline use. A session that had already lapsed (401) counts as ended.
 */
async function endCustomerSession(): Promise<void> {
  try {
    await logOut();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  forgetLastKnown();
  await forgetPushOnThisDevice().catch(() => undefined);
}

/** The signed-in customer's frame at /app, with the wallet's sections in the menu. */
export function AccountLayout() {
  const { t } = useTranslation();
  const session = useCustomerSession();
  const { isSigningOut, signOut } = useSignOut(session, endCustomerSession);
  const customer = session.state.status === 'signed-in' ? session.state.account : undefined;

  const menuItems: ShellMenuItem[] = [
    { path: '/app', label: t('app.menuHome'), icon: <HomeOutlined /> },
    { path: '/app/wallet', label: t('app.menuWallet'), icon: <WalletOutlined /> },
    { path: '/app/cards', label: t('app.menuCards'), icon: <CreditCardOutlined /> },
    { path: '/app/top-up', label: t('app.menuTopUp'), icon: <PlusCircleOutlined /> },
    { path: '/app/exchange', label: t('app.menuExchange'), icon: <SwapOutlined /> },
    { path: '/app/transfer', label: t('app.menuTransfer'), icon: <SendOutlined /> },
    { path: '/app/history', label: t('app.menuHistory'), icon: <HistoryOutlined /> },
    { path: '/app/support', label: t('pwa.support.menu'), icon: <CustomerServiceOutlined /> },
    { path: '/app/security', label: t('app.menuSecurity'), icon: <SafetyOutlined /> },
  ];

  // The customer's language also decides the language of the emails OKPay sends them.
  const rememberLocale = (locale: Locale) => {
    updateMyLocale(locale).then(
      (me) => session.signedIn(me.customer, me.csrfToken),
      // Only the emails' language depends on it; the page has switched already, so stay quiet.
      () => undefined,
    );
  };

  return (
    <ShellLayout
      home="/app"
      menuLabel={t('common.appName')}
      menuItems={menuItems}
      account={
        <Space>
          <Avatar size="small" icon={<UserOutlined />} />
          <span>{customer?.displayName}</span>
        </Space>
      }
      isSigningOut={isSigningOut}
      onSignOut={() => void signOut()}
      onLocaleChanged={rememberLocale}
      notice={<OfflineBanner />}
    />
  );
}
