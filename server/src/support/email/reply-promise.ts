import type { Locale } from '@okpay/contracts';

/**
 * The email promise as customers read it: a reply within the email SLA policy's first-reply hours
 * (sla/email-reply-hours.ts; 48 as shipped) and 1–3 business days for complex cases. The due time
 * itself is the SLA first-reply clock's (sla/expected-reply.ts).
 */
export const replyPromise = { complexBusinessDays: { from: 1, to: 3 } } as const;

const formats = new Map<string, { date: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();

/** Building a date format costs more than using it: one pair per language and zone. */
function formatsFor(locale: Locale, timeZone: string) {
  const key = `${locale}|${timeZone}`;
  let found = formats.get(key);
  if (!found) {
    const language = locale === 'zh-CN' ? 'zh-CN' : 'en-GB';
    found = {
      date: new Intl.DateTimeFormat(language, {
        timeZone,
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
      zone: new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'long' }),
    };
    formats.set(key, found);
  }
  return found;
}

/** "2026年12月9日 星期三 18:00（中国标准时间）" / "Wednesday, 9 December 2026, 18:00 (China Standard Time)" */
export function formatDue(due: Date, locale: Locale, timeZone: string): string {
  const { date: dateFormat, zone: zoneFormat } = formatsFor(locale, timeZone);
  const date = dateFormat.format(due);
  const zone = zoneFormat.formatToParts(due).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return locale === 'zh-CN' ? `${date}（${zone}）` : `${date} (${zone})`;
}

/** The address and the promise as the help pages and the widget tell them. */
export function emailSupportInfo(supportAddress: string, replyWithinHours: number) {
  return {
    address: supportAddress,
    replyWithinHours,
    complexCaseBusinessDays: { ...replyPromise.complexBusinessDays },
  };
}
