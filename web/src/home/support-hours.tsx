import type { SupportHours } from '@okpay/contracts';
import { Badge, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSupportHours } from '../api/hours';

// Re-read at the next opening or closing (at most hourly), so "open now" flips on time.
const maxWaitMs = 3_600_000;

/** Each channel's hours and whether it is open now, as the calendars hold them. */
export function useSupportHours(): { hours: SupportHours | undefined; failed: boolean } {
  const { i18n } = useTranslation();
  const [hours, setHours] = useState<SupportHours>();
  const [failed, setFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the answer is worded in the UI language, so a language change reloads it
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let isCurrent = true;
    const load = async () => {
      try {
        const answer = await getSupportHours();
        if (!isCurrent) return;
        setHours(answer);
        setFailed(false);
        const changes = answer.channels.flatMap((channel) => (channel.nextChange ? [Date.parse(channel.nextChange)] : []));
        const wait = Math.min(maxWaitMs, ...changes.map((change) => change - Date.parse(answer.at) + 1_000));
        timer = setTimeout(() => void load(), Math.max(5_000, wait));
      } catch {
        if (isCurrent) setFailed(true);
      }
    };
    void load();
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [i18n.language]);
  return { hours, failed };
}

/** The published phone numbers with the phone line's "open now / opens …" in the reader's zone. */
export function SupportNumbers({ hours, failed }: { hours: SupportHours | undefined; failed: boolean }) {
  const { t } = useTranslation();
  const phone = hours?.channels.find((channel) => channel.channel === 'phone');
  if (!phone?.numbers)
    return <Typography.Text type="secondary">{failed ? t('home.hoursUnavailable') : t('home.hoursLoading')}</Typography.Text>;
  return (
    <div data-testid="support-numbers">
      <ul className="support-numbers">
        {phone.numbers.map((entry) => (
          <li key={entry.dial}>
            <Typography.Text type="secondary">{entry.label} </Typography.Text>
            <Typography.Link strong href={`tel:${entry.dial}`}>
              {entry.number}
            </Typography.Link>
          </li>
        ))}
      </ul>
      <Badge status={phone.open ? 'success' : 'default'} text={phone.status} data-testid="phone-status" />
    </div>
  );
}

export function SupportHoursList({ hours, failed }: { hours: SupportHours | undefined; failed: boolean }) {
  const { t } = useTranslation();
  if (!hours) return <Typography.Text type="secondary">{failed ? t('home.hoursUnavailable') : t('home.hoursLoading')}</Typography.Text>;
  return (
    <ul className="support-hours" data-testid="support-hours">
      {hours.channels.map((channel) => (
        <li key={channel.channel} data-channel={channel.channel}>
          <Space size={[8, 0]} wrap>
            <Typography.Text strong>{channel.label}</Typography.Text>
            <Typography.Text>{channel.summary}</Typography.Text>
          </Space>
          <div>
            <Badge status={channel.open ? 'success' : 'default'} text={channel.status} />
            <Typography.Text type="secondary"> · {channel.todayText}</Typography.Text>
          </div>
        </li>
      ))}
    </ul>
  );
}
