import type { Locale } from '@okpay/contracts';
import type { BusinessCalendar } from './business-calendar.js';

/**
 * The email promise, in one place: a reply within 48 hours, counted as two business days of the
 * support centre's calendar (so mail on Friday evening is due on Tuesday, not on Sunday), and
 * 1–3 business days for complex cases. SLA policies will take this over for every channel.
 */
export const replyPromise = { hours: 48, businessDays: 2, complexBusinessDays: { from: 1, to: 3 } } as const;

export function replyDueAt(calendar: BusinessCalendar, receivedAt: Date): Date {
  return calendar.addBusinessDays(receivedAt, replyPromise.businessDays);
}

/** "2026年12月9日 星期三 18:00（中国标准时间）" / "Wednesday, 9 December 2026, 18:00 (China Standard Time)" */
export function formatDue(due: Date, locale: Locale, timeZone: string): string {
  const date = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(due);
  const zone =
    new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone, timeZoneName: 'long' })
      .formatToParts(due)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return locale === 'zh-CN' ? `${date}（${zone}）` : `${date} (${zone})`;
}

/** The address and the promise as the help pages and the widget tell them. */
export function emailSupportInfo(supportAddress: string) {
  return {
    address: supportAddress,
    replyWithinHours: replyPromise.hours,
    complexCaseBusinessDays: { ...replyPromise.complexBusinessDays },
  };
}
