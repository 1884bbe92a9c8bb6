import { describe, expect, it } from 'vitest';
import { keepsFacts, metricKeys, slaKeys } from './report-metrics.js';

describe('which facts reports keep raw', () => {
  it('keeps durations, resolutions, ratings and SLA outcomes met or breached; not replies, help suggestions or warnings', () => {
    for (const key of [metricKeys.firstResponse, metricKeys.nextResponse, metricKeys.resolved, metricKeys.csatRating]) {
      expect(keepsFacts(key), key).toBe(true);
    }
    expect(keepsFacts(`${slaKeys.met}first_response`)).toBe(true);
    expect(keepsFacts(`${slaKeys.breached}resolution`)).toBe(true);
    for (const key of [
      metricKeys.replies,
      metricKeys.helpShown,
      metricKeys.agentOnline,
      `${slaKeys.warning}resolution`,
      'csat_score:4',
      'unknown',
    ]) {
      expect(keepsFacts(key), key).toBe(false);
    }
  });
});
