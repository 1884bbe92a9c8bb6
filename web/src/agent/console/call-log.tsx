import type { CallView } from '@okpay/contracts';
import { Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatShortTime } from './time';

const stateColors: Record<CallView['state'], string> = {
  ringing: 'processing',
  queued: 'processing',
  answered: 'processing',
  completed: 'success',
  abandoned: 'warning',
  'no-answer': 'warning',
  busy: 'warning',
  failed: 'error',
  voicemail: 'purple',
};

/** A phone conversation's calls: direction, numbers (masked), queue and talk time, the disposition and every report with its reason. */
export function CallLog({ calls, staffNames }: { calls: CallView[]; staffNames: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation();
  if (calls.length === 0) return null;
  const events = t('console.calls.events', { returnObjects: true }) as Record<string, string>;
  const reasons = t('console.calls.reasons', { returnObjects: true }) as Record<string, string>;
  return (
    <Card size="small" className="call-log" title={t('console.calls.title')} data-testid="call-log">
      {calls.map((call) => (
        <div key={call.id} className="call-log-call">
          <Space wrap size={[8, 4]}>
            <Typography.Text strong>
              {call.provider === 'app' ? t('console.calls.inApp') : t(`console.calls.direction.${call.direction}`)}
            </Typography.Text>
            {call.provider !== 'app' && (
              <Typography.Text>
                {call.from} → {call.to}
              </Typography.Text>
            )}
            <Tag color={stateColors[call.state]}>{t(`console.calls.state.${call.state}`)}</Tag>
            {call.queueSeconds !== null && (
              <Typography.Text type="secondary">
                {t('console.calls.queued', { duration: formatDuration(call.queueSeconds * 1000, t) })}
              </Typography.Text>
            )}
            {call.talkSeconds !== null && (
              <Typography.Text type="secondary">
                {t('console.calls.talked', { duration: formatDuration(call.talkSeconds * 1000, t) })}
              </Typography.Text>
            )}
          </Space>
          <ol className="call-log-events">
            {call.log.map((entry) => (
              <li key={entry.seq}>
                <Typography.Text type="secondary">{formatShortTime(entry.at, i18n.language)}</Typography.Text>{' '}
                {events[entry.event] ?? entry.event}
                {entry.staffId && staffNames.get(entry.staffId) ? t('console.calls.by', { agent: staffNames.get(entry.staffId) }) : ''}
                {entry.from !== entry.to ? ` · ${t(`console.calls.state.${entry.from}`)} → ${t(`console.calls.state.${entry.to}`)}` : ''}
                {entry.reason ? ` · ${reasons[entry.reason] ?? entry.reason}` : ''}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </Card>
  );
}
