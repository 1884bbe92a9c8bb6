import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { logIn } from '../api/identity';
import { emailRules } from '../forms/rules';
import { safeNextPath } from '../forms/safe-next';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';

type LoginForm = { email: string; password: string };

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.pageTitle'));
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const session = useCustomerSession();
  const { isSubmitting, error, run } = useSubmission();

  const submit = (values: LoginForm) =>
    run(async () => {
      const result = await logIn({ email: values.email.trim(), password: values.password });
      session.signedIn(result.customer, result.csrfToken);
      void navigate(safeNextPath(searchParams.get('next'), '/app', '/app'), { replace: true });
    });

  return (
    <AuthCard title={t('login.title')} subtitle={t('login.subtitle')}>
      <Form name="login" layout="vertical" requiredMark={false} onFinish={submit} disabled={isSubmitting}>
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item label={t('form.email')} name="email" rules={emailRules(t)} validateTrigger="onBlur">
          <Input name="email" type="email" autoComplete="username" placeholder={t('form.emailPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('form.password')} name="password" rules={[{ required: true, message: t('form.passwordRequired') }]}>
          <Input.Password name="password" autoComplete="current-password" />
        </Form.Item>
        <div className="form-row-end">
          <Link to="/forgot-password">{t('login.forgotPassword')}</Link>
        </div>
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting}>
          {t('login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph className="auth-footer">
        {t('login.noAccount')} <Link to="/register">{t('login.registerLink')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
