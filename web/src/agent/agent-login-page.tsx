import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { staffLogIn } from '../api/identity';
import { emailRules } from '../forms/rules';
import { safeNextPath } from '../forms/safe-next';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { usePageTitle } from '../layout/use-page-title';
import { useStaffSession } from '../session/sessions';

type StaffLoginForm = { email: string; password: string };

export function AgentLoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('agent.loginPageTitle'));
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const session = useStaffSession();
  const { isSubmitting, error, run } = useSubmission();

  const submit = (values: StaffLoginForm) =>
    run(async () => {
      const result = await staffLogIn({ email: values.email.trim(), password: values.password });
      session.signedIn(result.staff, result.csrfToken);
      void navigate(safeNextPath(searchParams.get('next'), '/agent', '/agent'), { replace: true });
    });

  return (
    <AuthCard title={t('agent.loginTitle')} subtitle={t('agent.loginSubtitle')}>
      <Form name="agentLogin" layout="vertical" requiredMark={false} onFinish={submit} disabled={isSubmitting}>
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item label={t('form.email')} name="email" rules={emailRules(t)} validateTrigger="onBlur">
          <Input name="email" type="email" autoComplete="username" placeholder={t('form.emailPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('form.password')} name="password" rules={[{ required: true, message: t('form.passwordRequired') }]}>
          <Input.Password name="password" autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting}>
          {t('agent.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
