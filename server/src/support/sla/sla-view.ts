import type { SlaClock } from '@okpay/contracts';
import { slaWarningPercent } from './shipped-policies.js';
import { calendarFor, measure, type SlaClockRow, type SlaEnvironment } from './sla-clock.js';

/**
 * A clock as the console shows it at `now`: time left counted the way its target counts, whether
 * it is ticking now and when that flips (business time stops outside hours and on holidays).
 */
export function clockView(environment: SlaEnvironment, clock: SlaClockRow, channel: string, now: Date): SlaClock {
  const counted =
    clock.elapsedMs + (clock.state === 'running' && clock.resumedAt ? measure(environment, clock, channel, clock.resumedAt, now) : 0);
  const remainingMs = clock.targetMs - counted;
  let isTicking = false;
  let nextChange: string | null = null;
  if (clock.state === 'running') {
    const calendar = clock.clock === 'business' ? calendarFor(environment, clock.calendarName, channel) : undefined;
    if (calendar) {
      const state = calendar.state(now);
      isTicking = state.open;
      nextChange = state.nextChange === null ? null : new Date(state.nextChange).toISOString();
    } else isTicking = true;
  }
  const isLate = clock.state === 'breached' || (clock.state === 'running' && remainingMs < 0);
  const isWarned = clock.state === 'running' && counted * 100 >= clock.targetMs * slaWarningPercent;
  return {
    target: clock.target,
    policy: clock.policyName,
    state: clock.state,
    clock: clock.clock,
    calendar: clock.clock === 'business' ? (calendarFor(environment, clock.calendarName, channel)?.name ?? null) : null,
    targetMs: clock.targetMs,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt?.toISOString() ?? null,
    stoppedAt: clock.stoppedAt?.toISOString() ?? null,
    pausedReason: clock.pausedReason,
    remainingMs,
    asOf: now.toISOString(),
    isTicking,
    nextChange,
    risk: isLate ? 'breached' : isWarned ? 'warning' : 'ok',
  };
}
