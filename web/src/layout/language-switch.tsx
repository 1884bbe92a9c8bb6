import { type Locale, localeSchema } from '@okpay/contracts';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLocale, currentLocale } from '../i18n';

const options: Array<{ label: string; value: Locale }> = [
  // Each language names itself, so a reader of either can find their own.
  { label: '中文', value: 'zh-CN' },
  { label: 'English', value: 'en' },
];

/** 中文 / English; the choice is remembered in this browser. */
export function LanguageSwitch({ onChanged }: { onChanged?: (locale: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t('common.language')}
      options={options}
      value={currentLocale()}
      onChange={(value) => {
        const locale = localeSchema.parse(value);
        void changeLocale(locale).then(() => onChanged?.(locale));
      }}
    />
  );
}
