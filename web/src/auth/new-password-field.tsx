import { passwordMinLength } from '@okpay/contracts';
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { newPasswordRules } from '../forms/rules';

/** The `password` field of a form that sets one: the rules and their hint. */
export function NewPasswordField({ label }: { label: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} name="password" rules={newPasswordRules(t)} extra={t('form.passwordRule', { min: passwordMinLength })}>
      <Input.Password name="password" autoComplete="new-password" />
    </Form.Item>
  );
}
