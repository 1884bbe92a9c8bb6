import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { staffLogIn } from '../api/identity';
import { SignInForm, type SignInValues } from '../auth/sign-in-form';
import { safeNextPath } from '../forms/safe-next';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';

export function AgentLoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.loginPageTitle'));
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const session = useStaffSession();
  const { isSubmitting, error, run } = useSubmission();

  const submit = (values: SignInValues) =>
    run(async () => {
      const result = await staffLogIn(values);
      session.signedIn(result.staff, result.csrfToken);
      void navigate(safeNextPath(searchParams.get('next'), '/agent', '/agent'), { replace: true });
    });

  return (
    <AuthCard title={t('agent.loginTitle')} subtitle={t('agent.loginSubtitle')}>
      <SignInForm name="agentLogin" submitLabel={t('agent.submit')} isSubmitting={isSubmitting} error={error} onSubmit={submit} />
    </AuthCard>
  );
}
