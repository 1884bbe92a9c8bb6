import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { serverNow } from '../../api/client';
import { displayTimeZone } from '../../wallet/money';

/** Today's date (YYYY-MM-DD) in the team's zone, which is not always the browser's: reports count its days. */
export function teamToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: displayTimeZone() }).format(new Date(serverNow()));
}

/** Now by the server's clock, refreshed every `intervalMs`, for waiting times that count up. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "45 秒", "3 分钟", "1 小时 5 分": how long someone has been waiting. */
export function formatDuration(milliseconds: number, t: TFunction): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return t('console.duration.seconds', { count: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('console.duration.minutes', { count: minutes });
  return t('console.duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

const dayKey = (date: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: displayTimeZone() }).format(date);

/** "14:05" today, "03-18 14:05" before (China Standard Time, like the rest of the app). */
export function formatShortTime(iso: string, locale: string): string {
  const date = new Date(iso);
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: displayTimeZone(),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  if (dayKey(date) === dayKey(new Date(serverNow()))) return time;
  const day = new Intl.DateTimeFormat(locale, { timeZone: displayTimeZone(), month: '2-digit', day: '2-digit' }).format(date);
  return `${day} ${time}`;
}
