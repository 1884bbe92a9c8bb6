import { type Locale, localeSchema } from '@okpay/contracts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { type Messages, zhCN } from './zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

const storageKey = 'okpay.locale';
// Chinese first: the product's main market; English is the second language.
export const defaultLocale: Locale = 'zh-CN';

function storedLocale(): Locale {
  try {
    return localeSchema.safeParse(window.localStorage.getItem(storageKey)).data ?? defaultLocale;
  } catch {
    // Storage can be blocked (private mode, cookie settings); the default is fine then.
    return defaultLocale;
  }
}

export function currentLocale(): Locale {
  return localeSchema.safeParse(i18n.language).data ?? defaultLocale;
}

/** Switches the UI language and remembers the choice in this browser. */
export async function changeLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // Not remembered, but the switch still applies for this visit.
  }
  await i18n.changeLanguage(locale);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  // The date pickers' month and weekday names come from dayjs.
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLocale(),
  fallbackLng: defaultLocale,
  supportedLngs: ['zh-CN', 'en'],
  interpolation: { escapeValue: false },
  initAsync: false,
});

export { i18n };
