import type { Locale } from '@okpay/contracts';

/**
 * The email promise as customers read it: a reply within the email SLA policy's first-reply hours
 * (sla/email-reply-hours.ts; 48 as shipped) and 1–3 business days for complex cases. The due time
 * itself is the SLA first-reply clock's (sla/expected-reply.ts).
 */
export const replyPromise = { complexBusinessDays: { from: 1, to: 3 } } as const;

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
export function emailSupportInfo(supportAddress: string, replyWithinHours: number) {
  return {
    address: supportAddress,
    replyWithinHours,
    complexCaseBusinessDays: { ...replyPromise.complexBusinessDays },
  };
}
