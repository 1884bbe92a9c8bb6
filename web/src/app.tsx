import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AccountHomePage } from './account/account-home-page';
import { AccountLayout } from './account/account-layout';
import { AgentLoginPage } from './agent/agent-login-page';
import { ForgotPasswordPage } from './auth/forgot-password-page';
import { LoginPage } from './auth/login-page';
import { RegisterPage } from './auth/register-page';
import { ResetPasswordPage } from './auth/reset-password-page';
import { VerifyEmailPage } from './auth/verify-email-page';
import { HomePage } from './home/home-page';
import { NotFoundPage } from './home/not-found-page';
import { PublicLayout } from './layout/public-layout';
import { PwaShell } from './pwa/pwa-shell';
import { RequireSession } from './session/require-session';
import { SessionProviders, useCustomerSession, useStaffSession } from './session/sessions';
import { ChatWidgetBridge } from './support-chat/chat-widget-bridge';

// The wallet's and the console's sections load when first opened, so the sign-in pages stay small
// (the console brings socket.io-client with it).
const AgentLayout = lazy(() => import('./agent/agent-layout').then((module) => ({ default: module.AgentLayout })));
const InboxPage = lazy(() => import('./agent/inbox-page').then((module) => ({ default: module.InboxPage })));
const HelpArticlesPage = lazy(() => import('./agent/help/help-articles-page').then((module) => ({ default: module.HelpArticlesPage })));
const HelpEditorPage = lazy(() => import('./agent/help/help-editor-page').then((module) => ({ default: module.HelpEditorPage })));
const DevicesPage = lazy(() => import('./agent/devices-page').then((module) => ({ default: module.DevicesPage })));
const HoursPage = lazy(() => import('./agent/hours-page').then((module) => ({ default: module.HoursPage })));
const SlaPage = lazy(() => import('./agent/sla-page').then((module) => ({ default: module.SlaPage })));
const FxRatesPage = lazy(() => import('./agent/fx-rates-page').then((module) => ({ default: module.FxRatesPage })));
const ReportsPage = lazy(() => import('./agent/reports/reports-page').then((module) => ({ default: module.ReportsPage })));
const SupervisorPage = lazy(() => import('./agent/supervisor-page').then((module) => ({ default: module.SupervisorPage })));
const UnfreezeRequestsPage = lazy(() =>
  import('./agent/unfreeze-requests-page').then((module) => ({ default: module.UnfreezeRequestsPage })),
);
const VerificationQueuePage = lazy(() =>
  import('./agent/verification-queue-page').then((module) => ({ default: module.VerificationQueuePage })),
);
const CardsPage = lazy(() => import('./cards/cards-page').then((module) => ({ default: module.CardsPage })));
const ExchangePage = lazy(() => import('./exchange/exchange-page').then((module) => ({ default: module.ExchangePage })));
const HistoryPage = lazy(() => import('./history/history-page').then((module) => ({ default: module.HistoryPage })));
const SecurityPage = lazy(() => import('./security/security-page').then((module) => ({ default: module.SecurityPage })));
const TopUpPage = lazy(() => import('./top-up/top-up-page').then((module) => ({ default: module.TopUpPage })));
const TransferPage = lazy(() => import('./transfer/transfer-page').then((module) => ({ default: module.TransferPage })));
const RatingPage = lazy(() => import('./rating/rating-page').then((module) => ({ default: module.RatingPage })));
const BalancesPage = lazy(() => import('./wallet/balances-page').then((module) => ({ default: module.BalancesPage })));
const SupportMessagesPage = lazy(() =>
  import('./support/support-messages-page').then((module) => ({ default: module.SupportMessagesPage })),
);
const SupportConversationPage = lazy(() =>
  import('./support/support-conversation-page').then((module) => ({ default: module.SupportConversationPage })),
);

// System UI fonts first, then the common Chinese ones, so both scripts render natively.
const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'Segoe UI'",
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Noto Sans SC'",
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
].join(', ');

function CustomerArea() {
  return (
    <RequireSession session={useCustomerSession()} loginPath="/login">
      <AccountLayout />
    </RequireSession>
  );
}

function StaffArea() {
  return (
    <RequireSession session={useStaffSession()} loginPath="/agent/login">
      <Suspense fallback={null}>
        <AgentLayout />
      </Suspense>
    </RequireSession>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route index element={<HomePage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route
          path="rate"
          element={
            <Suspense fallback={null}>
              <RatingPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route path="app" element={<CustomerArea />}>
        <Route index element={<AccountHomePage />} />
        <Route path="wallet" element={<BalancesPage />} />
        <Route path="cards" element={<CardsPage />} />
        <Route path="top-up" element={<TopUpPage />} />
        <Route path="exchange" element={<ExchangePage />} />
        <Route path="transfer" element={<TransferPage />} />
        <Route path="history" element={<HistoryPage />} />
        <Route path="security" element={<SecurityPage />} />
        <Route path="support" element={<SupportMessagesPage />} />
        <Route path="support/:id" element={<SupportConversationPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route path="agent/login" element={<PublicLayout audience="staff" />}>
        <Route index element={<AgentLoginPage />} />
      </Route>
      <Route path="agent" element={<StaffArea />}>
        <Route index element={<InboxPage />} />
        <Route path="supervisor" element={<SupervisorPage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="verifications" element={<VerificationQueuePage />} />
        <Route path="unfreeze-requests" element={<UnfreezeRequestsPage />} />
        <Route path="fx-rates" element={<FxRatesPage />} />
        <Route path="devices" element={<DevicesPage />} />
        <Route path="hours" element={<HoursPage />} />
        <Route path="sla" element={<SlaPage />} />
        <Route path="help" element={<HelpArticlesPage />} />
        <Route path="help/:id" element={<HelpEditorPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1677ff', borderRadius: 8, fontFamily },
        // The side menu sits in a bordered sider; its own right border would double it.
        components: { Menu: { activeBarBorderWidth: 0 } },
      }}
      // Keep two-character Chinese labels like 登录 as written, so their accessible names match.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProviders>
          <BrowserRouter>
            <ChatWidgetBridge />
            <PwaShell />
            <AppRoutes />
          </BrowserRouter>
        </SessionProviders>
      </AntApp>
    </ConfigProvider>
  );
}
