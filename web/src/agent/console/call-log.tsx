import type { AgentCallback, CallNumbers, CallRecordingView, CallView } from '@okpay/contracts';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { revealCallbackNumber, revealCallNumbers } from '../../api/agent-console';
import { messageOf } from '../../api/client';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../wallet/money';
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

/**
 * A phone conversation's callbacks and calls: direction, numbers masked (in full on an audited
 * request), queue and talk time, the disposition, recordings and every report with its reason.
 */
export function CallLog({
  calls,
  callbacks = [],
  staffNames,
}: {
  calls: CallView[];
  callbacks?: AgentCallback[];
  staffNames: ReadonlyMap<string, string>;
}) {
  const { t, i18n } = useTranslation();
  if (calls.length === 0 && callbacks.length === 0) return null;
  const events = t('console.calls.events', { returnObjects: true }) as Record<string, string>;
  const reasons = t('console.calls.reasons', { returnObjects: true }) as Record<string, string>;
  return (
    <Card size="small" className="call-log" title={t('console.calls.title')} data-testid="call-log">
      {callbacks.map((callback) => (
        <CallbackLine key={callback.id} callback={callback} />
      ))}
      {calls.map((call) => (
        <div key={call.id} className="call-log-call">
          <Space wrap size={[8, 4]}>
            <Typography.Text strong>
              {call.provider === 'app' ? t('console.calls.inApp') : t(`console.calls.direction.${call.direction}`)}
            </Typography.Text>
            {call.provider !== 'app' && <CallNumbersLine call={call} />}
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
          {call.recordings.map((recording) => (
            <Recording key={recording.id} recording={recording} />
          ))}
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

/**
 * The numbers as lists show them (masked), and in full on request, for dialling back: that request
 * is written to the audit log, like opening the wallet panel. A voicemail left in the widget has none.
 */
function CallNumbersLine({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const [full, setFull] = useState<CallNumbers | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(false);
  if (!call.from && !call.to) return <Typography.Text>{t('console.calls.fromWidget')}</Typography.Text>;
  const shown = full ?? call;
  const reveal = async () => {
    setLoading(true);
    setProblem(null);
    try {
      setFull(await revealCallNumbers(call.id));
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Typography.Text copyable={full ? { text: call.direction === 'outbound' ? full.to : full.from } : false} data-testid="call-numbers">
        {shown.from || t('console.calls.fromWidget')} → {shown.to || '—'}
      </Typography.Text>
      {!full && (
        <Button size="small" type="link" loading={isLoading} onClick={() => void reveal()} title={t('console.calls.revealHint')}>
          {t('console.calls.reveal')}
        </Button>
      )}
      {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
    </>
  );
}

/** A booked callback: when, its state and tries, and the number to dial (masked until asked for; asking is audited). */
function CallbackLine({ callback }: { callback: AgentCallback }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(false);
  const reveal = async () => {
    setLoading(true);
    setProblem(null);
    try {
      setNumber((await revealCallbackNumber(callback.id)).number);
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div className="call-log-call" data-testid="callback">
      <Space wrap size={[8, 4]}>
        <Typography.Text strong>{t('console.calls.callback.title')}</Typography.Text>
        <Typography.Text>{formatDateTime(callback.dueAt, currentLocale())}</Typography.Text>
        <Tag>{t(`console.calls.callback.state.${callback.state}`)}</Tag>
        {callback.attempts > 0 && (
          <Typography.Text type="secondary">{t('console.calls.callback.attempts', { count: callback.attempts })}</Typography.Text>
        )}
        <Typography.Text copyable={number ? { text: number } : false}>{number ?? callback.number}</Typography.Text>
        {!number && (
          <Button size="small" type="link" loading={isLoading} onClick={() => void reveal()} title={t('console.calls.revealHint')}>
            {t('console.calls.reveal')}
          </Button>
        )}
        {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
      </Space>
    </div>
  );
}

/** A recording: an audio player while its bytes are kept (every play is audited), otherwise what became of it. */
function Recording({ recording }: { recording: CallRecordingView }) {
  const { t } = useTranslation();
  const source = t(`console.calls.recording.source.${recording.source}`);
  const length = recording.durationSeconds === null ? null : formatDuration(Math.floor(recording.durationSeconds) * 1000, t);
  return (
    <div className="call-log-recording" data-testid="call-recording" data-state={recording.state}>
      <Typography.Text type="secondary">
        {source}
        {length ? ` · ${length}` : ''}
      </Typography.Text>
      {recording.state === 'stored' && recording.url ? (
        // biome-ignore lint/a11y/useMediaCaption: a caller's voicemail; no transcript exists to caption it with
        <audio controls preload="metadata" src={recording.url} aria-label={t('console.calls.recording.player', { source })} />
      ) : (
        <Typography.Text type={recording.state === 'failed' ? 'danger' : 'secondary'}>
          {t(`console.calls.recording.state.${recording.state}`)}
        </Typography.Text>
      )}
    </div>
  );
}
