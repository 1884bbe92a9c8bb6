import type { ReportBucket } from '@okpay/contracts';
import type { LocalPeriods } from './local-periods.js';
import { ReportError } from './reports.errors.js';
import type { ReportScope } from './reports.repository.js';

export const maxReportDays = 731;
export const maxHourlyDays = 31;
const dayMs = 86_400_000;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The local midnight that starts a calendar date. */
function dayStart(periods: LocalPeriods, date: string): number {
  return periods.instantOf(Date.parse(`${date}T00:00:00Z`));
}

/**
 * The whole local days a report covers: from the start of `from`'s day; through `to`'s day when it
 * is a date, or up to the next local midnight at or after `to` when it is an instant.
 */
export function reportScope(
  periods: LocalPeriods,
  query: { from: string; to: string; channel?: string; agentId?: string; category?: string },
  bucket?: ReportBucket,
): ReportScope {
  const from = isDate(query.from) ? dayStart(periods, query.from) : periods.startOf('day', Date.parse(query.from));
  let to: number;
  if (isDate(query.to)) to = periods.next('day', dayStart(periods, query.to));
  else {
    const instant = Date.parse(query.to);
    const start = periods.startOf('day', instant);
    to = start === instant ? instant : periods.next('day', start);
  }
  if (!(from < to)) throw ReportError('report_range_invalid');
  const days = Math.round((to - from) / dayMs);
  if (days > maxReportDays) throw ReportError('report_range_too_long', { days: maxReportDays });
  if (bucket === 'hour' && days > maxHourlyDays) throw ReportError('report_bucket_too_fine', { days: maxHourlyDays });
  return { from, to, channel: query.channel, agentId: query.agentId, category: query.category };
}
