import type { Locale } from '@okpay/contracts';

/**
 * English when the text is written in English: Latin letters and next to no Chinese characters. Anything
 * else, and anything too short to tell, is read as Chinese, the support centre's first language.
 */
export function detectLocale(text: string, fallback: Locale = 'zh-CN'): Locale {
  const sample = text.slice(0, 4000);
  const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  // A Chinese name in an English mail does not make it Chinese; a few Chinese words in a short one do.
  if (han > 0 && han * 10 >= latin) return 'zh-CN';
  if (latin >= 8) return 'en';
  return fallback;
}
