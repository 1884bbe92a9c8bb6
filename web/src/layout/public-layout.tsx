import { Layout, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import { Brand } from './brand';
import { ButtonLink } from './button-link';
import { LanguageSwitch } from './language-switch';

/** Pages anyone can open: the home page and the customer (or staff) sign-in pages. */
export function PublicLayout({ audience = 'customer' }: { audience?: 'customer' | 'staff' }) {
  const { t } = useTranslation();
  const isStaff = audience === 'staff';
  return (
    <Layout className="public-layout">
      <Layout.Header className="site-header">
        <Brand to={isStaff ? '/agent' : '/'} suffix={isStaff ? t('agent.centreName') : undefined} />
        <Space size="middle" className="site-header-actions">
          <LanguageSwitch />
          {!isStaff && (
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
        <Outlet />
      </Layout.Content>
      <Layout.Footer className="site-footer">
        <span>{t('common.copyright', { year: new Date().getFullYear() })}</span>
        {isStaff ? <Link to="/">{t('agent.customerSite')}</Link> : <Link to="/agent/login">{t('common.staffEntrance')}</Link>}
      </Layout.Footer>
    </Layout>
  );
}
