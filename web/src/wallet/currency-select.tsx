import { type CurrencyCode, currencyCodes } from '@okpay/contracts';
import { Select, type SelectProps } from 'antd';
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
