import type { Locale } from '@okpay/contracts';

type MessageDefinition = { 'zh-CN': string; en: string };

const declared = new Set<string>();

/** Fills `{name}` placeholders from `params`; an unknown name stays as written. */
export function fillPlaceholders(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/**
 * Declares what a module tells people besides its errors (a confirmation, a receipt) in both
 * languages, so no answer is worded in an inline locale check. A key belongs to one module:
 * declaring it again anywhere throws while the modules load. Texts may hold `{name}` placeholders.
 */
export function defineMessages<const T extends Record<string, MessageDefinition>>(definitions: T) {
  const taken = Object.keys(definitions).filter((key) => declared.has(key));
  if (taken.length > 0) throw new Error(`message defined twice: ${taken.join(', ')}`);
  for (const key of Object.keys(definitions)) declared.add(key);
  return (key: keyof T & string, locale: Locale, params?: Record<string, string | number>): string =>
    fillPlaceholders(definitions[key]?.[locale] ?? key, params);
}
