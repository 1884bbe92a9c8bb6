import { z } from 'zod';

/** UI and content languages: Simplified Chinese first, English second. */
export const locales = ['zh-CN', 'en'] as const;
export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/** Picks a supported locale from an Accept-Language header or a stored preference. */
export function pickLocale(value: unknown, fallback: Locale): Locale {
  if (typeof value !== 'string' || !value) return fallback;
  for (const part of value.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
