import { describe, expect, it } from 'vitest';
import { LocalPeriods } from './local-periods.js';

describe('report periods in the team zone', () => {
  const shanghai = new LocalPeriods('Asia/Shanghai');

  it('starts Beijing days, weeks and months at local midnight', () => {
    const at = Date.parse('2026-03-04T20:10:00Z'); // Thursday 04:10 on 5 March in Beijing
    expect(new Date(shanghai.startOf('day', at)).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(new Date(shanghai.startOf('week', at)).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(new Date(shanghai.startOf('month', at)).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(shanghai.startOf('slot', at)).toISOString()).toBe('2026-03-04T20:00:00.000Z');
    expect(shanghai.dateLabel(at)).toBe('2026-03-05');
    expect(shanghai.hourOfWeek(at)).toBe(3 * 24 + 4);
    expect(new Date(shanghai.next('month', shanghai.startOf('month', at))).toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  it('keeps days whole across a DST change (New York, 8 March 2026 has 23 hours)', () => {
    const newYork = new LocalPeriods('America/New_York');
    const day = newYork.startOf('day', Date.parse('2026-03-08T12:00:00Z'));
    expect(new Date(day).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(newYork.next('day', day)).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('cuts half hours on the local clock in a zone 30 minutes off the hour (Kolkata)', () => {
    const kolkata = new LocalPeriods('Asia/Kolkata');
    const slot = kolkata.startOf('slot', Date.parse('2026-05-01T04:40:00Z')); // 10:10 local
    expect(new Date(slot).toISOString()).toBe('2026-05-01T04:30:00.000Z');
  });
});
