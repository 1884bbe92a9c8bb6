import { ClockCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { type SlaClock, slaRemainingAt } from '@okpay/contracts';
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../wallet/money';
/** "1:45" under an hour (it ticks by the second), "5 小时 20 分" under two days, then "3 天 4 小时". */
export function formatCountdown(milliseconds: number, t: TFunction): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 48 * 60) return t('console.duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return t('sla.countdown.days', { days: Math.floor(minutes / 1_440), hours: Math.floor((minutes % 1_440) / 60) });
}

/** The risk a clock shows at `now`: late once nothing is left, warned past the warning share. */
export function riskAt(clock: SlaClock, now: number, warningPercent = 80): 'ok' | 'warning' | 'breached' {
  if (clock.state === 'breached') return 'breached';
  if (clock.state !== 'running') return clock.risk;
  const left = slaRemainingAt(clock, now);
  if (left < 0) return 'breached';
  return (clock.targetMs - left) * 100 >= clock.targetMs * warningPercent ? 'warning' : 'ok';
}

const colours = { ok: 'processing', warning: 'warning', breached: 'error' } as const;

/**
 * One SLA clock, counting down in the time its target counts: business time stands still outside
 * the calendar's hours and while the customer has the turn (pending), and the tag says so.
 */
export function SlaCountdown({ clock, now, compact = false }: { clock: SlaClock; now: number; compact?: boolean }) {
  const { t } = useTranslation();
  if (clock.state === 'cancelled') return null;
  const left = slaRemainingAt(clock, now);
  const risk = riskAt(clock, now);
  const target = t(`sla.targets.${clock.target}`);
  let label: string;
  if (clock.state === 'met') label = t('sla.countdown.met', { target });
  else if (clock.state === 'breached') label = t('sla.countdown.metLate', { target, duration: formatCountdown(-left, t) });
  else if (clock.state === 'paused') label = t('sla.countdown.paused', { target, duration: formatCountdown(left, t) });
  else if (left < 0) label = t('sla.countdown.overdue', { target, duration: formatCountdown(-left, t) });
  else label = t('sla.countdown.left', { target, duration: formatCountdown(left, t) });
  const isStill = clock.state === 'paused' || (clock.state === 'running' && !isTicking(clock, now));
  const note =
    clock.state === 'paused'
      ? t('sla.countdown.pausedPending')
      : isStill
        ? t('sla.countdown.outsideHours', { calendar: clock.calendar ?? '' })
        : null;
  const due = clock.dueAt ? t('sla.countdown.due', { time: formatDateTime(clock.dueAt, currentLocale()) }) : null;
  const counts = clock.clock === 'business' ? t('sla.countdown.business', { calendar: clock.calendar ?? '' }) : t('sla.countdown.wall');
  return (
    <Tooltip title={[due, note, counts, t('sla.countdown.policy', { policy: clock.policy })].filter(Boolean).join(' · ')}>
      <Tag
        className="sla-countdown"
        color={clock.state === 'met' ? 'success' : colours[risk]}
        icon={isStill ? <PauseCircleOutlined /> : <ClockCircleOutlined />}
        data-target={clock.target}
        data-risk={risk}
        data-state={clock.state}
      >
        {compact || !isStill || clock.state === 'paused' ? label : `${label} · ${t('sla.countdown.stopped')}`}
      </Tag>
    </Tooltip>
  );
}

/** Whether a running clock counts at `now` (a business-time clock flips at `nextChange`). */
function isTicking(clock: SlaClock, now: number): boolean {
  if (clock.nextChange === null || now < Date.parse(clock.nextChange)) return clock.isTicking;
  return !clock.isTicking;
}
