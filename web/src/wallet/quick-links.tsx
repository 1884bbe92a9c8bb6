import { CreditCardOutlined, HistoryOutlined, PlusCircleOutlined, SafetyOutlined, SendOutlined, SwapOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** The wallet's actions as large tap targets; `only` picks a subset in this order. */
export function QuickLinks({ only }: { only?: Array<'topUp' | 'exchange' | 'transfer' | 'history' | 'cards' | 'security'> }) {
  const { t } = useTranslation();
  const links: Array<{ key: NonNullable<typeof only>[number]; to: string; label: string; icon: ReactNode }> = [
    { key: 'topUp', to: '/app/top-up', label: t('app.menuTopUp'), icon: <PlusCircleOutlined /> },
    { key: 'exchange', to: '/app/exchange', label: t('app.menuExchange'), icon: <SwapOutlined /> },
    { key: 'transfer', to: '/app/transfer', label: t('app.menuTransfer'), icon: <SendOutlined /> },
    { key: 'history', to: '/app/history', label: t('app.menuHistory'), icon: <HistoryOutlined /> },
    { key: 'cards', to: '/app/cards', label: t('app.menuCards'), icon: <CreditCardOutlined /> },
    { key: 'security', to: '/app/security', label: t('app.menuSecurity'), icon: <SafetyOutlined /> },
  ];
  const shown = only ? links.filter((link) => only.includes(link.key)) : links;
  return (
    <nav className={shown.length === 4 ? 'quick-links quick-links-4' : 'quick-links'} aria-label={t('wallet.quickLinks')}>
      {shown.map((link) => (
        <Link key={link.key} to={link.to} className="quick-link">
          <span className="quick-link-icon" aria-hidden="true">
            {link.icon}
          </span>
          <span>{link.label}</span>
        </Link>
      ))}
    </nav>
  );
}
