import { Alert, Button, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { emailRules } from '../forms/rules';

export type SignInValues = { email: string; password: string };

/** The email-and-password form both sign-in pages (customers and staff) share. */
export function SignInForm(props: {
  name: string;
  submitLabel: string;
  isSubmitting: boolean;
  error: string | null | undefined;
  onSubmit: (values: SignInValues) => void;
  /** Shown under the password field, e.g. the forgot-password link. */
  afterPassword?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form
      name={props.name}
      layout="vertical"
      requiredMark={false}
      onFinish={(values: SignInValues) => props.onSubmit({ email: values.email.trim(), password: values.password })}
      disabled={props.isSubmitting}
    >
      {props.error && <Alert type="error" showIcon title={props.error} className="form-alert" />}
      <Form.Item label={t('form.email')} name="email" rules={emailRules(t)} validateTrigger="onBlur">
        <Input name="email" type="email" autoComplete="username" placeholder={t('form.emailPlaceholder')} />
      </Form.Item>
      <Form.Item label={t('form.password')} name="password" rules={[{ required: true, message: t('form.passwordRequired') }]}>
        <Input.Password name="password" autoComplete="current-password" />
      </Form.Item>
      {props.afterPassword}
      <Button type="primary" htmlType="submit" block size="large" loading={props.isSubmitting} disabled={props.isSubmitting}>
        {props.submitLabel}
      </Button>
    </Form>
  );
}
