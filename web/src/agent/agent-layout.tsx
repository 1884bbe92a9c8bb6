import {
  BarChartOutlined,
  ClockCircleOutlined,
  FieldTimeOutlined,
  IdcardOutlined,
  MessageOutlined,
  QuestionCircleOutlined,
  SafetyCertificateOutlined,
  SwapOutlined,
  TeamOutlined,
  UnlockOutlined,
} from '@ant-design/icons';
import type { StaffRole } from '@okpay/contracts';
import { App, Space, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { setPresence } from '../api/agent-console';
import { staffLogOut } from '../api/identity';
import { ShellLayout, type ShellMenuItem } from '../layout/shell-layout';
import { useStaffSession } from '../session/sessions';
import { useSignOut } from '../session/use-sign-out';
import { ConnectionBanner } from './console/connection-banner';
import { ConsoleProvider, useConsoleEvent } from './console/console-context';
import { showAssignedNotice, showOpenableNotice } from './console/console-notices';
import { PresenceControl } from './console/presence-control';
import { VoiceDock } from './voice/voice-dock';

const roleColours: Record<StaffRole, string> = { agent: 'blue', supervisor: 'purple', admin: 'gold', editor: 'green' };

export function canSupervise(role: StaffRole): boolean {
  return role === 'supervisor' || role === 'admin';
}

/** The service-centre console at /agent, live over one socket on every page of it. */
export function AgentLayout() {
  const session = useStaffSession();
  if (session.state.status !== 'signed-in') return null;
  return (
    <ConsoleProvider staffId={session.state.account.id}>
      <ConsoleShell />
    </ConsoleProvider>
  );
}

/** Going offline first hands the agent's open chats to colleagues now, not after the disconnect grace period. */
async function signOutOfConsole(): Promise<void> {
  await setPresence('offline').catch(() => undefined);
  await staffLogOut();
}

/** On the console's other pages, still say when a chat is assigned to you (the inbox does so itself). */
function useAssignmentNotices(pathname: string, staffId: string | undefined) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const isInbox = pathname === '/agent' || pathname === '/agent/';
  useConsoleEvent('conversation:updated', (event) => {
    if (isInbox || event.change !== 'assigned' || event.assigneeId !== staffId) return;
    showAssignedNotice(notification, t, event, () => void navigate(`/agent?c=${event.conversationId}`));
  });
}

/**
 * SLA warnings and breaches as they are recorded: the assignee hears of their own (every agent of
 * unassigned ones), supervisors of all. One notification per batch, linking the most urgent.
 */
function useSlaAlerts() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  useConsoleEvent('sla:alerts', ({ alerts }) => {
    const first = alerts.find((alert) => alert.kind === 'breached') ?? alerts[0];
    if (!first) return;
    const target = t(`sla.targets.${first.target}`);
    const who = t(`console.channels.${first.channel}`);
    const notify = first.kind === 'breached' ? notification.error : notification.warning;
    showOpenableNotice(notification, notify, {
      key: `sla-${first.kind}`,
      title: t(first.kind === 'breached' ? 'sla.alert.breached' : 'sla.alert.warning', { target, who }),
      description: alerts.length > 1 ? t('sla.alert.more', { count: alerts.length - 1 }) : undefined,
      icon: <FieldTimeOutlined />,
      openLabel: t('sla.alert.open'),
      onOpen: () => void navigate(`/agent?view=all&c=${first.conversationId}`),
    });
  });
}

function ConsoleShell() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const session = useStaffSession();
  const { isSigningOut, signOut } = useSignOut(session, signOutOfConsole);
  const staff = session.state.status === 'signed-in' ? session.state.account : undefined;
  useAssignmentNotices(pathname, staff?.id);
  useSlaAlerts();

  // Editors write help articles and take no chats: the console shows them the help centre only.
  const isEditor = staff?.role === 'editor';
  const menuItems: ShellMenuItem[] = isEditor
    ? []
    : [
        { path: '/agent', label: t('agent.menuInbox'), icon: <MessageOutlined /> },
        // Every staff member may read the queue; only checkers decide.
        { path: '/agent/verifications', label: t('agent.menuVerifications'), icon: <IdcardOutlined /> },
      ];
  if (staff && canSupervise(staff.role)) {
    menuItems.push(
      { path: '/agent/unfreeze-requests', label: t('agent.menuUnfreeze'), icon: <UnlockOutlined /> },
      { path: '/agent/supervisor', label: t('agent.menuSupervisor'), icon: <TeamOutlined /> },
      { path: '/agent/reports', label: t('agent.menuReports'), icon: <BarChartOutlined /> },
      { path: '/agent/hours', label: t('agent.menuHours'), icon: <ClockCircleOutlined /> },
      { path: '/agent/sla', label: t('agent.menuSla'), icon: <FieldTimeOutlined /> },
    );
  }
  // Admins set mid rates and approve each other's big changes.
  if (staff?.role === 'admin') menuItems.push({ path: '/agent/fx-rates', label: t('agent.menuFx'), icon: <SwapOutlined /> });
  menuItems.push(
    { path: '/agent/help', label: t('agent.menuHelp'), icon: <QuestionCircleOutlined /> },
    { path: '/agent/devices', label: t('agent.menuDevices'), icon: <SafetyCertificateOutlined /> },
  );
  const navigate = useNavigate();
  useEffect(() => {
    if (isEditor && (pathname === '/agent' || pathname === '/agent/')) void navigate('/agent/help', { replace: true });
  }, [isEditor, pathname, navigate]);

  return (
    <ShellLayout
      home={isEditor ? '/agent/help' : '/agent'}
      brandSuffix={t('agent.centreName')}
      menuLabel={t('agent.consoleTitle')}
      menuItems={menuItems}
      isWide={pathname === '/agent' || pathname === '/agent/'}
      // Editors take no chats: the live connection is not theirs to watch.
      notice={
        isEditor ? undefined : (
          <>
            <ConnectionBanner />
            <VoiceDock />
          </>
        )
      }
      account={
        staff && (
          <Space size="small">
            {!isEditor && <PresenceControl />}
            <span className="staff-name">{staff.displayName}</span>
            <Tag color={roleColours[staff.role]} className="role-tag">
              {t(`agent.roles.${staff.role}`)}
            </Tag>
          </Space>
        )
      }
      isSigningOut={isSigningOut}
      onSignOut={() => void signOut()}
    />
  );
}
