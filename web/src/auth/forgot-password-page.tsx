import { Alert, Button, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { requestPasswordReset } from '../api/identity';
import { emailRules } from '../forms/rules';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('forgotPassword.pageTitle'));
  const { isSubmitting, error, run } = useSubmission();
  // The server answers the same whether or not the email is registered; we show its words as they are.
  const [sentMessage, setSentMessage] = useState<string>();

  const submit = (values: { email: string }) =>
    run(async () => {
      const answer = await requestPasswordReset(values.email.trim());
      setSentMessage(answer.message);
    });

  if (sentMessage) {
    return (
      <AuthCard title={t('forgotPassword.title')}>
        <Result
          className="compact-result"
          status="success"
          title={t('forgotPassword.sentTitle')}
          subTitle={<span role="status">{sentMessage}</span>}
          extra={[
            <ButtonLink key="login" to="/login" type="primary">
              {t('forgotPassword.backToLogin')}
            </ButtonLink>,
            <Button key="again" onClick={() => setSentMessage(undefined)}>
              {t('forgotPassword.sendAgain')}
            </Button>,
          ]}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('forgotPassword.title')} subtitle={t('forgotPassword.intro')}>
      <Form name="forgotPassword" layout="vertical" requiredMark={false} onFinish={submit} disabled={isSubmitting}>
        {error && <Alert type="error" showIcon title={error} className="form-alert" />}
        <Form.Item label={t('form.email')} name="email" rules={emailRules(t)} validateTrigger="onBlur">
          <Input name="email" type="email" autoComplete="email" placeholder={t('form.emailPlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting}>
          {t('forgotPassword.submit')}
        </Button>
      </Form>
      <div className="auth-footer">
        <Link to="/login">{t('forgotPassword.backToLogin')}</Link>
      </div>
    </AuthCard>
  );
}
