import type { StaffingPlan } from '@okpay/contracts';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { defaultCalendarName } from '../hours/shipped-calendars.js';
import { currentHours } from '../hours/support-hours.js';
import { type LocalPeriods, periodsFor } from '../reports/local-periods.js';
import { metricKeys } from '../reports/report-metrics.js';
import { ReportError } from '../reports/reports.errors.js';
import { averageChatCapacity, firstDayOf, listSlotRollups, sumDays } from '../reports/reports.repository.js';
import { countOnlineAgents } from '../routing/routing.repository.js';
import type { SupportDeps } from '../support-deps.js';
import { concurrencyFactor, requiredAgents } from './erlang-c.js';

export type StaffingQuery = {
  date?: string;
  channel: 'chat' | 'phone' | 'email';
  weeks: number;
  answerWithinSeconds: number;
  serviceLevel: number;
  maxOccupancy: number;
  shrinkage: number;
  concurrency?: number;
};

const dayMs = 86_400_000;
const slotMs = 1_800_000;

type DayKind = 'holiday' | 'make_up_workday' | 'weekday';

/** What kind of day a date is by China's holiday feed on the default calendar: holiday, 调休 workday or an ordinary weekday. */
function kindOf(calendar: BusinessCalendar | undefined, date: string): DayKind {
  const kind = calendar?.day(date).kind;
  if (kind === 'public_holiday') return 'holiday';
  if (kind === 'make_up_workday') return 'make_up_workday';
  return 'weekday';
}

const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

/**
 * The past days a date is forecast from: the same weekday when it is an ordinary day; other
 * public holidays for a holiday (weekends when the window has none); ordinary workdays for a
 * make-up workday (调休), which is a Saturday or Sunday that works like a weekday.
 */
export function matchingDays(calendar: BusinessCalendar | undefined, target: string, history: readonly string[]): string[] {
  const kind = kindOf(calendar, target);
  const isOrdinary = (date: string) => kindOf(calendar, date) === 'weekday';
  if (kind === 'holiday') {
    const holidays = history.filter((date) => kindOf(calendar, date) === 'holiday');
    return holidays.length > 0 ? holidays : history.filter((date) => isOrdinary(date) && weekdayOf(date) >= 5);
  }
  if (kind === 'make_up_workday')
    return history.filter((date) => (isOrdinary(date) && weekdayOf(date) < 5) || kindOf(calendar, date) === 'make_up_workday');
  return history.filter((date) => isOrdinary(date) && weekdayOf(date) === weekdayOf(target));
}

/** Half-hour index of an instant within its local day (by the wall clock, so DST days keep their times). */
const slotIndex = (periods: LocalPeriods, at: number) => Math.floor((periods.wall(at) % dayMs) / slotMs);

/**
 * Contacts forecast per half hour for a day from the report rollups (the mean of matching past
 * days), handle time from the same history (divided by the concurrency factor for chat), and for
 * each half hour the agents Erlang C requires against those actually or usually online.
 */
export async function planStaffing(deps: SupportDeps, query: StaffingQuery): Promise<StaffingPlan> {
  const periods = periodsFor(deps.config.timeZone);
  const now = deps.clock.now().getTime();
  const date = query.date ?? periods.dateLabel(periods.next('day', periods.startOf('day', now)));
  const dayStart = periods.instantOf(Date.parse(`${date}T00:00:00Z`));
  if (Number.isNaN(dayStart) || Math.abs(dayStart - now) > 366 * dayMs) throw ReportError('staffing_date_out_of_range');
  const dayEnd = periods.next('day', dayStart);
  const historyStart = periods.instantOf(Date.parse(`${date}T00:00:00Z`) - query.weeks * 7 * dayMs);
  const hours = await currentHours(deps);
  const holidays = hours.calendars.get(defaultCalendarName);
  const channelCalendar = hours.calendars.get(hours.channels[query.channel]);

  const slots = await listSlotRollups(deps.db, {
    metrics: [metricKeys.created, metricKeys.agentOnline],
    channel: query.channel,
    from: historyStart,
    to: dayEnd,
  });
  const arrivals = new Map<string, number[]>();
  const online = new Map<string, number[]>();
  for (const row of slots) {
    const at = row.periodStart.getTime();
    const day = periods.dateLabel(at);
    const target = row.metric === metricKeys.created ? arrivals : online;
    const values = target.get(day) ?? Array.from({ length: 48 }, () => 0);
    values[slotIndex(periods, at)] =
      (values[slotIndex(periods, at)] ?? 0) + (row.metric === metricKeys.created ? row.count : row.sum / 1800);
    target.set(day, values);
  }
  // Days before the first contact on record say nothing (the service was not running yet).
  const first = await firstDayOf(deps.db, metricKeys.created, query.channel);
  const firstDay = first ? periods.dateLabel(first.getTime()) : null;
  // Up to the day before the one planned, and never past today (the future has no contacts yet).
  const historyEnd = Math.min(dayStart, periods.next('day', periods.startOf('day', now)));
  const history: string[] = [];
  for (let at = historyStart; at < historyEnd; at = periods.next('day', at)) {
    const day = periods.dateLabel(at);
    if (firstDay !== null && day >= firstDay) history.push(day);
  }
  // Too young to have days like this one: the recent days there are stand in for them.
  const similar = matchingDays(holidays, date, history);
  const basis: 'similar' | 'recent' | 'none' = similar.length > 0 ? 'similar' : history.length > 0 ? 'recent' : 'none';
  const matched = basis === 'similar' ? similar : history;
  const mean = (source: Map<string, number[]>, index: number) =>
    matched.length === 0 ? null : matched.reduce((sum, day) => sum + (source.get(day)?.[index] ?? 0), 0) / matched.length;

  const handled = await sumDays(deps.db, { metric: metricKeys.handle, channel: query.channel, from: historyStart, to: dayStart });
  const ahtSeconds = handled.count > 0 ? handled.sum / handled.count : null;
  const concurrency =
    query.channel === 'chat' ? (query.concurrency ?? Math.min(5, Math.max(1, (await averageChatCapacity(deps.db)) ?? 1))) : 1;
  const factor = concurrencyFactor(concurrency);
  const effectiveAht = ahtSeconds === null ? null : ahtSeconds / factor;
  const liveOnline = query.channel === 'chat' ? await countOnlineAgents(deps.db) : null;

  const intervals: StaffingPlan['intervals'] = [];
  for (let start = dayStart; start < dayEnd; start = periods.next('slot', start)) {
    const index = slotIndex(periods, start);
    const forecast = Math.round((mean(arrivals, index) ?? 0) * 10) / 10;
    const isPast = start < now;
    const isCurrent = start <= now && now < periods.next('slot', start);
    const isOpen = channelCalendar ? channelCalendar.isOpen(start) || channelCalendar.isOpen(start + slotMs - 1) : true;
    // Erlang C is for contacts answered live (chat, phone); mail is worked through, not queued for.
    const answer =
      isOpen && effectiveAht !== null && query.channel !== 'email'
        ? requiredAgents({
            contacts: forecast,
            intervalMinutes: 30,
            ahtSeconds: effectiveAht,
            answerWithinSeconds: query.answerWithinSeconds,
            serviceLevel: query.serviceLevel,
            maxOccupancy: query.maxOccupancy,
            shrinkage: query.shrinkage,
          })
        : null;
    const measured = query.channel !== 'chat' || !isPast ? null : isCurrent ? liveOnline : round(online.get(date)?.[index] ?? 0);
    const typical = query.channel === 'chat' ? round(mean(online, index)) : null;
    const available = measured ?? typical;
    intervals.push({
      start: new Date(start).toISOString(),
      label: periods.timeLabel(start).slice(11),
      forecast,
      actual: isPast ? (arrivals.get(date)?.[index] ?? 0) : null,
      ahtSeconds: effectiveAht === null ? null : Math.round(effectiveAht),
      required: answer?.agents ?? null,
      scheduled: answer?.scheduled ?? null,
      serviceLevel: answer ? round(answer.serviceLevel, 3) : null,
      occupancy: answer ? round(answer.occupancy, 3) : null,
      online: measured,
      typicalOnline: typical,
      isUnderstaffed: answer !== null && answer.agents > 0 && available !== null && available < answer.agents,
      isOpen,
    });
  }
  const busiest = intervals.reduce<(typeof intervals)[number] | undefined>(
    (best, interval) => ((interval.required ?? 0) > (best?.required ?? 0) ? interval : best),
    undefined,
  );
  const dayKind = kindOf(holidays, date);
  return {
    date,
    channel: query.channel,
    timeZone: periods.timeZone,
    dayKind:
      dayKind === 'weekday'
        ? (['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][weekdayOf(date)] ?? 'weekday')
        : dayKind,
    parameters: {
      answerWithinSeconds: query.answerWithinSeconds,
      serviceLevel: query.serviceLevel,
      maxOccupancy: query.maxOccupancy,
      shrinkage: query.shrinkage,
      concurrency,
      concurrencyFactor: factor,
      ahtSeconds: ahtSeconds === null ? null : Math.round(ahtSeconds),
      effectiveAhtSeconds: effectiveAht === null ? null : Math.round(effectiveAht),
      historyWeeks: query.weeks,
      historyDays: matched,
      forecastBasis: basis,
    },
    intervals,
    peak: busiest?.required ? { start: busiest.start, label: busiest.label, required: busiest.required } : null,
  };
}

function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
