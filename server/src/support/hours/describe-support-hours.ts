import type { ChannelHours, Locale, OpeningPeriod, SupportChannel, SupportNumber } from '@okpay/contracts';
import type { BusinessCalendar, Period, WeeklyPeriods } from './business-calendar.js';
import { supportChannels } from './shipped-calendars.js';
import { currentHours, type HoursDeps, type HoursSnapshot } from './support-hours.js';
import { dayMs, formatMinute, isTimeZone, offsetAt, parseLocalDate, wallTimeAt } from './zoned-time.js';

// What customers read about support hours, in their language, worded once for every page, the
// widget, the help centre and mail.

const texts = {
  'zh-CN': {
    channel: { chat: '在线客服', email: '邮件客服', phone: '电话客服' } as Record<SupportChannel, string>,
    days: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    everyDay: '每天',
    range: (first: string, last: string) => `${first}至${last}`,
    periodJoin: '、',
    groupJoin: '，',
    noteJoin: '，',
    neverOpen: '暂不开放',
    followsHolidays: '法定节假日休息，调休上班日照常',
    ignoresHolidays: '节假日照常',
    withZone: (text: string, zone: string) => `${text}（${zone}）`,
    today: (hours: string) => `今天 ${hours}`,
    closedToday: (name: string | null) => (name ? `今天休息（${name}）` : '今天休息'),
    open: { chat: '现在在线', email: '现在是工作时间', phone: '现在可以拨打' } as Record<SupportChannel, string>,
    closed: {
      chat: (when: string) => `现在是非工作时间，预计 ${when} 回复`,
      email: (when: string) => `现在是非工作时间，预计 ${when} 起处理`,
      phone: (when: string) => `现在是非工作时间，${when} 起接听`,
    } as Record<SupportChannel, (when: string) => string>,
    closedIndefinitely: '现在是非工作时间',
    relativeDay: ['今天', '明天'],
    weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    date: (month: number, day: number) => `${month}月${day}日`,
    numbers: { mainland: '客服热线（中国大陆）', overseas: '海外客户' },
  },
  en: {
    channel: { chat: 'Live chat', email: 'Email', phone: 'Phone' } as Record<SupportChannel, string>,
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    everyDay: 'Daily',
    range: (first: string, last: string) => `${first}–${last}`,
    periodJoin: ', ',
    groupJoin: '; ',
    noteJoin: ', ',
    neverOpen: 'Not open',
    followsHolidays: 'closed on public holidays, open on make-up workdays',
    ignoresHolidays: 'public holidays included',
    withZone: (text: string, zone: string) => `${text} (${zone})`,
    today: (hours: string) => `Today ${hours}`,
    closedToday: (name: string | null) => (name ? `Closed today (${name})` : 'Closed today'),
    open: { chat: 'Online now', email: 'Within business hours now', phone: 'Lines open now' } as Record<SupportChannel, string>,
    closed: {
      chat: (when: string) => `Outside business hours now; expect a reply ${when}`,
      email: (when: string) => `Outside business hours now; handled from ${when}`,
      phone: (when: string) => `Closed now; lines open ${when}`,
    } as Record<SupportChannel, (when: string) => string>,
    closedIndefinitely: 'Outside business hours now',
    relativeDay: ['today', 'tomorrow'],
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    date: (month: number, day: number) =>
      `${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]}`,
    numbers: { mainland: 'Hotline (mainland China)', overseas: 'From abroad' },
  },
} as const;

export function toOpeningPeriods(periods: readonly Period[]): OpeningPeriod[] {
  return periods.map((period) => ({ start: formatMinute(period.start), end: formatMinute(period.end) }));
}

function periodsText(periods: readonly Period[], locale: Locale): string {
  return toOpeningPeriods(periods)
    .map((period) => `${period.start}–${period.end}`)
    .join(texts[locale].periodJoin);
}

/** "周一至周五 09:00–18:00" / "Daily 09:00–21:00": consecutive days with the same periods grouped. */
export function weeklySummary(weekly: WeeklyPeriods, locale: Locale): string {
  const t = texts[locale];
  const key = (day: number) => JSON.stringify(weekly[day] ?? []);
  const groups: Array<{ first: number; last: number }> = [];
  for (let day = 0; day < 7; day++) {
    const last = groups[groups.length - 1];
    if (last && key(last.last) === key(day)) last.last = day;
    else groups.push({ first: day, last: day });
  }
  const open = groups.filter((group) => (weekly[group.first] ?? []).length > 0);
  if (open.length === 0) return t.neverOpen;
  return open
    .map((group) => {
      const days =
        group.first === 0 && group.last === 6
          ? t.everyDay
          : group.first === group.last
            ? t.days[group.first]
            : t.range(t.days[group.first] as string, t.days[group.last] as string);
      return `${days} ${periodsText(weekly[group.first] ?? [], locale)}`;
    })
    .join(t.groupJoin);
}

function zoneName(timeZone: string, locale: Locale, at: Date): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(at);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** "明天 09:00", "周一 09:00", "2月24日 09:00" in the viewer's zone, relative to now. */
export function describeWhen(instant: number, now: Date, timeZone: string, locale: Locale): string {
  const t = texts[locale];
  const wall = wallTimeAt(timeZone, instant);
  const today = Math.floor(wallTimeAt(timeZone, now.getTime()) / dayMs);
  const day = Math.floor(wall / dayMs);
  const time = formatMinute(Math.floor((wall % dayMs) / 60_000));
  const ahead = day - today;
  const date = new Date(day * dayMs);
  const dayText =
    ahead >= 0 && ahead < 2
      ? t.relativeDay[ahead]
      : ahead > 0 && ahead < 7
        ? t.weekdays[(date.getUTCDay() + 6) % 7]
        : t.date(date.getUTCMonth() + 1, date.getUTCDate());
  return `${dayText} ${time}`;
}

/** The "when" in the reader's zone, naming that zone when its clock differs from the calendar's. */
function whenInZone(instant: number, now: Date, zone: string, calendarZone: string, locale: Locale): string {
  const when = describeWhen(instant, now, zone, locale);
  if (zone === calendarZone || offsetAt(zone, instant) === offsetAt(calendarZone, instant)) return when;
  return texts[locale].withZone(when, zoneName(zone, locale, new Date(instant)));
}

/** The numbers the deployment publishes (`SUPPORT_PHONE`, `SUPPORT_PHONE_OVERSEAS`). */
export type PublishedNumbers = { phone: string; phoneOverseas: string };

/** "+86 21 0000 0000" → "+862100000000": what a `tel:` link dials. */
export function dialString(number: string): string {
  return number.replace(/[^0-9+]/g, '');
}

/** The published numbers, labelled in the reader's language. */
export function supportNumbers(contact: PublishedNumbers, locale: Locale): SupportNumber[] {
  const labels = texts[locale].numbers;
  return [
    { number: contact.phone, dial: dialString(contact.phone), label: labels.mainland },
    { number: contact.phoneOverseas, dial: dialString(contact.phoneOverseas), label: labels.overseas },
  ];
}

/** One channel's hours as GET /api/support/hours answers them; the phone entry with its numbers when given. */
export function channelHours(
  snapshot: HoursSnapshot,
  channel: SupportChannel,
  at: Date,
  locale: Locale,
  viewerZone?: string,
  contact?: PublishedNumbers,
): ChannelHours {
  const t = texts[locale];
  const calendar = snapshot.calendars.get(snapshot.channels[channel]) as BusinessCalendar;
  const zone = viewerZone && isTimeZone(viewerZone) ? viewerZone : calendar.timeZone;
  const state = calendar.state(at);
  const nextOpening = state.open ? at.getTime() : state.nextChange;
  const today = calendar.day(calendar.localDate(at));
  const name = today.name ? (locale === 'zh-CN' ? today.name.zh : today.name.en) : (today.note ?? null);
  const followsPublicHolidays = calendar.definition.publicHolidays !== null;
  const summary = `${weeklySummary(calendar.definition.weekly, locale)}${t.noteJoin}${
    followsPublicHolidays ? t.followsHolidays : t.ignoresHolidays
  }`;
  return {
    channel,
    calendar: calendar.name,
    timeZone: calendar.timeZone,
    open: state.open,
    nextChange: state.nextChange === null ? null : new Date(state.nextChange).toISOString(),
    nextOpening: nextOpening === null ? null : new Date(nextOpening).toISOString(),
    periodsToday: toOpeningPeriods(today.periods),
    today: { date: today.date, kind: today.kind, name },
    followsPublicHolidays,
    label: t.channel[channel],
    summary: t.withZone(summary, zoneName(calendar.timeZone, locale, at)),
    todayText: today.periods.length > 0 ? t.today(periodsText(today.periods, locale)) : t.closedToday(name),
    status: state.open
      ? t.open[channel]
      : nextOpening === null
        ? t.closedIndefinitely
        : t.closed[channel](whenInZone(nextOpening, at, zone, calendar.timeZone, locale)),
    ...(channel === 'phone' && contact ? { numbers: supportNumbers(contact, locale) } : {}),
  };
}

/**
 * Every channel's hours and whether it is open at `at`, worded for a customer: the function the
 * help centre, the pages and mail use so that none of them states hours the calendars do not hold.
 * `timeZone` is the reader's zone for "expect a reply Monday 09:00" (the calendar's when omitted).
 */
export async function describeSupportHours(
  deps: HoursDeps & { config: { contact: PublishedNumbers } },
  options: { locale: Locale; at: Date; timeZone?: string },
): Promise<ChannelHours[]> {
  const snapshot = await currentHours(deps);
  return supportChannels.map((channel) =>
    channelHours(snapshot, channel, options.at, options.locale, options.timeZone, deps.config.contact),
  );
}

/** The local date `days` after a `YYYY-MM-DD` date. */
export function addLocalDays(date: string, days: number): string {
  return new Date((parseLocalDate(date) as number) + days * dayMs).toISOString().slice(0, 10);
}
