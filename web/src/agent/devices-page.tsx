import { useTranslation } from 'react-i18next';
import { SessionsCard } from '../account/sessions-card';
import { listStaffSessions, revokeStaffSession } from '../api/identity';
import { usePageTitle } from '../layout/use-page-title';

const staffSessions = { list: listStaffSessions, revoke: revokeStaffSession };

/** Where this staff member is signed in to the console, with a way to sign other devices out. */
export function DevicesPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.devicesTitle'));
  return <SessionsCard api={staffSessions} intro={t('agent.devicesIntro')} />;
}
