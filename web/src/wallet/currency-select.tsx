import { type CurrencyCode, currencyCodes } from '@okpay/contracts';
import { Form, type FormInstance, Input, Select, type SelectProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { amountRules } from '../forms/rules';
import { currentLocale } from '../i18n';
import { currencyName } from './money';

/** Every currency the wallet holds, as "CNY · 人民币". */
export function CurrencySelect(props: Omit<SelectProps<CurrencyCode>, 'options'>) {
  const locale = currentLocale();
  return (
    <Select<CurrencyCode>
      {...props}
      options={currencyCodes.map((code) => ({ value: code, label: `${code} · ${currencyName(code, locale)}` }))}
    />
  );
}

/**
 * The amount typed in major units, checked against the currency chosen in the form's `currencyField`
 * (its decimals and limits), re-checked when that currency changes.
 */
export function AmountField({
  form,
  currencyField,
  label,
  extra,
}: {
  form: FormInstance;
  currencyField: string;
  label: ReactNode;
  extra: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={label}
      name="amount"
      dependencies={[currencyField]}
      rules={amountRules(t, () => form.getFieldValue(currencyField))}
      extra={extra}
    >
      <Input inputMode="decimal" autoComplete="off" placeholder="100.00" />
    </Form.Item>
  );
}
