import { IdcardOutlined, MessageOutlined, TeamOutlined, UnlockOutlined } from '@ant-design/icons';
import type { StaffRole } from '@okpay/contracts';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { staffLogOut } from '../api/identity';
import { ShellLayout, type ShellMenuItem } from '../layout/shell-layout';
import { useStaffSession } from '../session/sessions';
import { useSignOut } from '../session/use-sign-out';

const roleColours: Record<StaffRole, string> = { agent: 'blue', supervisor: 'purple', admin: 'gold' };

export function canSupervise(role: StaffRole): boolean {
  return role === 'supervisor' || role === 'admin';
}

/** The service-centre console at /agent. */
export function AgentLayout() {
  const { t } = useTranslation();
  const session = useStaffSession();
  const { isSigningOut, signOut } = useSignOut(session, staffLogOut);
  const staff = session.state.status === 'signed-in' ? session.state.account : undefined;

  const menuItems: ShellMenuItem[] = [
    { path: '/agent', label: t('agent.menuInbox'), icon: <MessageOutlined /> },
    // Every staff member may read the queue; only checkers decide.
    { path: '/agent/verifications', label: t('agent.menuVerifications'), icon: <IdcardOutlined /> },
  ];
  if (staff && canSupervise(staff.role)) {
    menuItems.push(
      { path: '/agent/unfreeze-requests', label: t('agent.menuUnfreeze'), icon: <UnlockOutlined /> },
      { path: '/agent/supervisor', label: t('agent.menuSupervisor'), icon: <TeamOutlined /> },
    );
  }

  return (
    <ShellLayout
      home="/agent"
      brandSuffix={t('agent.centreName')}
      menuLabel={t('agent.consoleTitle')}
      menuItems={menuItems}
      account={
        staff && (
          <Space size="small">
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
