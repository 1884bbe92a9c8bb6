import { Button, Result, Spin } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { messageOf } from '../api/client';
import type { SessionHandle } from './use-session-state';

/**
 * Renders its children only for a signed-in principal; anyone else goes to the sign-in page,
 * which sends them back here afterwards.
 */
export function RequireSession<Account>({
  session,
  loginPath,
  children,
}: {
  session: SessionHandle<Account>;
  loginPath: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const { state, load } = session;

  useEffect(() => {
    if (state.status === 'unknown') void load();
  }, [state.status, load]);

  if (state.status === 'signed-in') return children;
  if (state.status === 'signed-out') {
    // After signing out on purpose, coming back to this page on the next sign-in would surprise.
    if (state.isDeliberate) return <Navigate to={loginPath} replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`${loginPath}?next=${encodeURIComponent(next)}`} replace />;
  }
  if (state.status === 'failed') {
    return (
      <Result
        status="warning"
        title={messageOf(state.error)}
        extra={
          <Button type="primary" onClick={() => void load()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  return (
    <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}
