import { UserOutlined } from '@ant-design/icons';
import { Layout, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import { OfflineBanner } from '../pwa/offline-banner';
import { useCustomerSession } from '../session/sessions';
import { Brand } from './brand';
import { ButtonLink } from './button-link';
import { EmailSupportLink } from './email-support-link';
import { LanguageSwitch } from './language-switch';

/** Pages anyone can open: the home page and the customer (or staff) sign-in pages. */
export function PublicLayout({ audience = 'customer' }: { audience?: 'customer' | 'staff' }) {
  const { t } = useTranslation();
  const isStaff = audience === 'staff';
  const customer = useKnownCustomer(!isStaff);
  return (
    <Layout className="public-layout">
      <Layout.Header className="site-header">
        <Brand to={isStaff ? '/agent' : '/'} suffix={isStaff ? t('agent.centreName') : undefined} />
        <Space size="middle" className="site-header-actions">
          <LanguageSwitch />
          {!isStaff && customer && (
            <nav className="site-nav" aria-label={t('common.appName')}>
              <span className="site-nav-name">
                <UserOutlined aria-hidden="true" /> {customer.displayName}
              </span>
              <ButtonLink to="/app" type="primary">
                {t('common.myWallet')}
              </ButtonLink>
            </nav>
          )}
          {!isStaff && customer === null && (
            <nav className="site-nav" aria-label={t('common.appName')}>
              <ButtonLink to="/login" type="text">
                {t('common.signIn')}
              </ButtonLink>
              <ButtonLink to="/register" type="primary">
                {t('common.register')}
              </ButtonLink>
            </nav>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content className="public-content">
        <OfflineBanner />
        <Outlet />
      </Layout.Content>
      <Layout.Footer className="site-footer">
        <span>{t('common.copyright', { year: new Date().getFullYear() })}</span>
        {!isStaff && <EmailSupportLink />}
        {isStaff ? <Link to="/">{t('agent.customerSite')}</Link> : <Link to="/agent/login">{t('common.staffEntrance')}</Link>}
      </Layout.Footer>
    </Layout>
  );
}

/**
 * The signed-in customer on public pages, so someone already signed in is offered their wallet
 * rather than the sign-in and register buttons: the account, null when nobody is signed in, or
 * undefined while that is not known yet (render neither, so nothing flashes). Asks the server
 * when nobody knows yet.
 */
export function useKnownCustomer(enabled = true) {
  const { state, load } = useCustomerSession();
  useEffect(() => {
    if (enabled && state.status === 'unknown') void load();
  }, [enabled, state.status, load]);
  if (!enabled || state.status === 'signed-out' || state.status === 'failed') return null;
  return state.status === 'signed-in' ? state.account : undefined;
}
