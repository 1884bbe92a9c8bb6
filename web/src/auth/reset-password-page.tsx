import { passwordResetConfirmSchema } from '@okpay/contracts';
import { Alert, Button, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { confirmPasswordReset } from '../api/identity';
import { useSubmission } from '../forms/use-submission';
import { AuthCard } from '../layout/auth-card';
import { ButtonLink } from '../layout/button-link';
import { usePageTitle } from '../layout/use-page-title';
import { useCustomerSession } from '../session/sessions';
import { NewPasswordField } from './new-password-field';

type ResetForm = { password: string; confirmPassword: string };

const tokenSchema = passwordResetConfirmSchema.shape.token;

export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('resetPassword.pageTitle'));
  const [searchParams] = useSearchParams();
  const token = tokenSchema.safeParse(searchParams.get('token')).data;
  const { isSubmitting, error, run } = useSubmission();
  const [isTokenRefused, setTokenRefused] = useState(false);
  const [doneMessage, setDoneMessage] = useState<string>();
  const session = useCustomerSession();

  if (!token) {
    return (
      <AuthCard title={t('resetPassword.pageTitle')}>
        <Result
          className="compact-result"
          status="warning"
          title={t('resetPassword.missingTokenTitle')}
          subTitle={t('resetPassword.missingTokenHint')}
          extra={
            <ButtonLink to="/forgot-password" type="primary">
              {t('resetPassword.requestNew')}
            </ButtonLink>
          }
        />
      </AuthCard>
    );
  }

  // No automatic sign-in: every session ended with the reset, and signing in proves the new password.
  if (doneMessage) {
    return (
      <AuthCard title={t('resetPassword.pageTitle')}>
        <Result
          className="compact-result"
          status="success"
          title={t('resetPassword.doneTitle')}
          subTitle={<span role="status">{doneMessage}</span>}
          extra={
            <ButtonLink to="/login" type="primary">
              {t('resetPassword.goSignIn')}
            </ButtonLink>
          }
        />
      </AuthCard>
    );
  }

  const submit = (values: ResetForm) =>
    run(
      async () => {
        const answer = await confirmPasswordReset(token, values.password);
        // The reset ended every session, this browser's included.
        session.signedOut();
        setDoneMessage(answer.message);
      },
      (caught) => setTokenRefused(caught instanceof ApiError && caught.code === 'reset_token_invalid'),
    );

  return (
    <AuthCard title={t('resetPassword.title')} subtitle={t('resetPassword.intro')}>
      <Form<ResetForm> name="resetPassword" layout="vertical" requiredMark={false} onFinish={submit} disabled={isSubmitting}>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            className="form-alert"
            action={isTokenRefused ? <Link to="/forgot-password">{t('resetPassword.requestNew')}</Link> : undefined}
          />
        )}
        <NewPasswordField label={t('form.newPassword')} />
        <Form.Item
          label={t('form.confirmPassword')}
          name="confirmPassword"
          dependencies={['password']}
          rules={[
            { required: true, message: t('form.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value && value !== getFieldValue('password')) throw new Error(t('form.passwordMismatch'));
              },
            }),
          ]}
        >
          <Input.Password name="confirmPassword" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={isSubmitting} disabled={isSubmitting}>
          {t('resetPassword.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
