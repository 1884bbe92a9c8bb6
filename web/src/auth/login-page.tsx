import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { logIn } from '../api/identity';
import { safeNextPath } from '../forms/safe-next';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { useKnownCustomer } from '../layout/public-layout';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';
import { SignInForm, type SignInValues } from './sign-in-form';

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.pageTitle'));
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const session = useCustomerSession();
  const { isSubmitting, error, run } = useSubmission();
  // Already signed in (another tab, a bookmark): straight on to where they were going.
  const alreadySignedIn = Boolean(useKnownCustomer()) && !isSubmitting;

  const submit = (values: SignInValues) =>
    run(async () => {
      const result = await logIn(values);
      session.signedIn(result.customer, result.csrfToken);
      void navigate(safeNextPath(searchParams.get('next'), '/app', '/app'), { replace: true });
    });

  if (alreadySignedIn) return <Navigate to={safeNextPath(searchParams.get('next'), '/app', '/app')} replace />;
  return (
    <AuthCard title={t('login.title')} subtitle={t('login.subtitle')}>
      <SignInForm
        name="login"
        submitLabel={t('login.submit')}
        isSubmitting={isSubmitting}
        error={error}
        onSubmit={submit}
        afterPassword={
          <div className="form-row-end">
            <Link to="/forgot-password">{t('login.forgotPassword')}</Link>
          </div>
        }
      />
      <Typography.Paragraph className="auth-footer">
        {t('login.noAccount')} <Link to="/register">{t('login.registerLink')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
