import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, type MenuProps, Space, Spin } from 'antd';
import { type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Brand } from './brand';
import { LanguageSwitch } from './language-switch';

export type ShellMenuItem = { path: string; label: string; icon: ReactNode };

/**
 * The signed-in frame shared by the customer area (/app) and the staff console (/agent):
 * header with who is signed in, a side menu of sections, and the section in the middle.
 */
export function ShellLayout({
  home,
  brandSuffix,
  menuLabel,
  menuItems,
  account,
  isSigningOut,
  onSignOut,
  onLocaleChanged,
  notice,
  isWide = false,
}: {
  home: string;
  brandSuffix?: string;
  menuLabel: string;
  menuItems: ShellMenuItem[];
  account: ReactNode;
  isSigningOut: boolean;
  onSignOut(): void;
  onLocaleChanged?: Parameters<typeof LanguageSwitch>[0]['onChanged'];
  /** Shown above every section, e.g. that the live connection dropped. */
  notice?: ReactNode;
  /** The section fills the whole width and height below the header (the console's three columns). */
  isWide?: boolean;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  // On narrow screens the menu folds away behind a header button and opens over the page.
  const [isNarrow, setNarrow] = useState(false);
  const [isMenuOpen, setMenuOpen] = useState(false);
  // The deepest menu path that contains the current page is the selected one; home only when it is the page.
  const selected = menuItems
    .filter((item) => location.pathname === item.path || (item.path !== home && location.pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
  const items: MenuProps['items'] = menuItems.map((item) => ({
    key: item.path,
    icon: item.icon,
    label: <Link to={item.path}>{item.label}</Link>,
  }));

  return (
    <Layout className="shell-layout">
      <Layout.Header className="site-header">
        <Space size="small">
          {isNarrow && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={menuLabel}
              aria-expanded={isMenuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            />
          )}
          <Brand to={home} suffix={brandSuffix} />
        </Space>
        <Space size="middle" className="site-header-actions">
          <LanguageSwitch onChanged={onLocaleChanged} />
          <span className="shell-account">{account}</span>
          <Button
            icon={<LogoutOutlined />}
            loading={isSigningOut}
            disabled={isSigningOut}
            onClick={onSignOut}
            aria-label={t('common.signOut')}
          >
            <span className="sign-out-label">{t('common.signOut')}</span>
          </Button>
        </Space>
      </Layout.Header>
      <Layout hasSider>
        <Layout.Sider
          theme="light"
          width={200}
          breakpoint="lg"
          collapsedWidth={0}
          trigger={null}
          collapsed={isNarrow && !isMenuOpen}
          onBreakpoint={(isBroken) => {
            setNarrow(isBroken);
            setMenuOpen(false);
          }}
          className={isNarrow ? 'shell-sider shell-sider-overlay' : 'shell-sider'}
        >
          <nav aria-label={menuLabel}>
            <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={() => setMenuOpen(false)} />
          </nav>
        </Layout.Sider>
        <Layout.Content className={isWide ? 'shell-content shell-content-wide' : 'shell-content'}>
          {notice}
          <Suspense
            fallback={
              <div className="centred-block">
                <Spin description={t('common.loading')} />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
