import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { registerCustomer } from '../api/identity';
import { emailRules, markFieldErrors, normalisePhone, phoneRules } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { currentLocale } from '../i18n';
import { AuthCard } from '../layout/auth-card';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';
import { NewPasswordField } from './new-password-field';

type RegisterForm = { email: string; password: string; displayName: string; phone?: string };

const displayNameMaxLength = 60;

// Which field a refusal code is about, so the form can point at it.
const fieldsByCode = {
  email_taken: 'email',
  phone_taken: 'phone',
  password_too_common: 'password',
  password_contains_email: 'password',
};

export function RegisterPage() {
  const { t } = useTranslation();
  usePageTitle(t('register.pageTitle'));
  const [form] = Form.useForm<RegisterForm>();
  const navigate = useNavigate();
  const session = useCustomerSession();
  const { isSubmitting, error, run } = useSubmission();

  const submit = (values: RegisterForm) =>
    run(
      async () => {
        const result = await registerCustomer({
          email: values.email.trim(),
          password: values.password,
          displayName: values.displayName.trim(),
          phone: normalisePhone(values.phone),
          // Emails the customer receives later are written in this language.
          locale: currentLocale(),
        });
        session.signedIn(result.customer, result.csrfToken);
        void navigate('/app', { replace: true });
      },
      (caught) => markFieldErrors(form, caught, t, fieldsByCode),
    );

  return (
    <AuthCard title={t('register.title')} subtitle={t('register.subtitle')}>
      <Form form={form} name="register" layout="vertical" requiredMark={false} onFinish={submit} disabled={isSubmitting}>
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item label={t('form.email')} name="email" rules={emailRules(t)} validateTrigger="onBlur">
          <Input name="email" type="email" autoComplete="email" placeholder={t('form.emailPlaceholder')} />
        </Form.Item>
        <NewPasswordField label={t('form.password')} />
        <Form.Item
          label={t('form.displayName')}
          name="displayName"
          rules={[
            { required: true, whitespace: true, message: t('form.displayNameRequired') },
            { max: displayNameMaxLength, message: t('form.displayNameTooLong', { max: displayNameMaxLength }) },
          ]}
        >
          <Input name="displayName" autoComplete="nickname" placeholder={t('form.displayNamePlaceholder')} />
        </Form.Item>
        <Form.Item label={t('form.phone')} name="phone" rules={phoneRules(t)} extra={t('form.phoneHint')} validateTrigger="onBlur">
          <Input name="phone" type="tel" autoComplete="tel" placeholder={t('form.phonePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting}>
          {t('register.submit')}
        </Button>
      </Form>
      <Typography.Paragraph className="auth-footer">
        {t('register.haveAccount')} <Link to="/login">{t('register.signInLink')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
