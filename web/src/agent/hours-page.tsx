import { PlusOutlined } from '@ant-design/icons';
import type { CalendarView, HoursSettings, OpeningPeriod, SupportChannel } from '@okpay/contracts';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getHoursSettings, removeCalendarDay, saveCalendar, setCalendarDay, setChannelCalendar } from '../api/hours';
import { usePageTitle } from '../layout/use-page-title';
import { useAdminSettings } from './use-admin-settings';

const channels: SupportChannel[] = ['chat', 'email', 'phone'];

/** "09:00–12:00, 13:00–18:00" for a day's periods. */
export function periodsText(periods: readonly OpeningPeriod[]): string {
  return periods.map((period) => `${period.start}–${period.end}`).join(', ');
}

/** Reads "09:00-12:00, 13:00–18:00" (any dash, comma, 、 or ;); empty means closed; undefined when unreadable. */
export function parsePeriods(text: string): OpeningPeriod[] | undefined {
  const parts = text
    .split(/[,，、;；]/)
    .map((part) => part.trim())
    .filter(Boolean);
  const periods: OpeningPeriod[] = [];
  for (const part of parts) {
    const match = /^(\d{1,2}):(\d{2})\s*[-–—~至到]\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!match) return undefined;
    periods.push({ start: `${match[1]?.padStart(2, '0')}:${match[2]}`, end: `${match[3]?.padStart(2, '0')}:${match[4]}` });
  }
  return periods;
}

/** "18:00" today, or "12月7日 09:00" another day, in the calendar's zone. */
function changeText(iso: string | null, timeZone: string, locale: string): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  const day = (date: Date) => date.toLocaleDateString('en-CA', { timeZone });
  const time = at.toLocaleTimeString(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (day(at) === day(new Date())) return time;
  return `${at.toLocaleDateString(locale, { timeZone, month: 'short', day: 'numeric', weekday: 'short' })} ${time}`;
}

/** Business hours: calendars, their weekly periods and days set by hand, and each channel's calendar. */
export function HoursPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('hours.title'));
  const { isAdmin, current, error, apply } = useAdminSettings(['staff', 'hours-settings'], getHoursSettings);
  const [isCreating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!current) return <Card loading />;

  const { holidayData } = current;
  return (
    <Space orientation="vertical" size="large" className="full-width">
      <div>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('hours.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('hours.intro')}</Typography.Paragraph>
      </div>
      {holidayData.missingYear !== null && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="holiday-data-warning"
          title={t('hours.missingYearTitle', { year: holidayData.missingYear })}
          description={t('hours.missingYearBody', { source: holidayData.source, year: holidayData.missingYear })}
        />
      )}

      <Card title={t('hours.channelsTitle')}>
        <Descriptions
          column={{ xs: 1, md: 3 }}
          items={channels.map((channel) => ({
            key: channel,
            label: t(`hours.channels.${channel}`),
            children: (
              <Select
                aria-label={t(`hours.channels.${channel}`)}
                value={current.channels[channel]}
                disabled={!isAdmin}
                style={{ minWidth: 160 }}
                options={current.calendars.map((calendar) => ({ value: calendar.name, label: calendar.name }))}
                onChange={(name: string) => void apply(setChannelCalendar(channel, name), t('hours.saved'))}
              />
            ),
          }))}
        />
      </Card>

      <Card
        title={t('hours.calendarsTitle')}
        extra={
          isAdmin && (
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('hours.newCalendar')}
            </Button>
          )
        }
      >
        <Tabs
          items={current.calendars.map((calendar) => ({
            key: calendar.name,
            label: (
              <Space size={4}>
                <Badge status={calendar.now.open ? 'success' : 'default'} />
                {calendar.name}
              </Space>
            ),
            children: <CalendarPanel calendar={calendar} isAdmin={isAdmin} locale={i18n.language} apply={apply} />,
          }))}
        />
      </Card>
      <Modal
        open={isCreating}
        title={t('hours.newCalendar')}
        okText={t('hours.create')}
        onCancel={() => setCreating(false)}
        onOk={async () => {
          const weekday = [{ start: '09:00', end: '18:00' }];
          const isDone = await apply(
            saveCalendar(newName.trim(), {
              timeZone: 'Asia/Shanghai',
              weekly: [weekday, weekday, weekday, weekday, weekday, [], []],
              followsChinaHolidays: true,
            }),
            t('hours.saved'),
          );
          if (isDone) {
            setCreating(false);
            setNewName('');
          }
        }}
      >
        <Form layout="vertical">
          <Form.Item label={t('hours.calendarName')} extra={t('hours.calendarNameHint')}>
            <Input value={newName} onChange={(event) => setNewName(event.target.value)} maxLength={40} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

type Apply = (change: Promise<HoursSettings>, done: string) => Promise<boolean>;

function CalendarPanel({ calendar, isAdmin, locale, apply }: { calendar: CalendarView; isAdmin: boolean; locale: string; apply: Apply }) {
  const { t } = useTranslation();
  const [weekly, setWeekly] = useState(() => calendar.weekly.map(periodsText));
  const [timeZone, setTimeZone] = useState(calendar.timeZone);
  const [followsHolidays, setFollowsHolidays] = useState(calendar.followsChinaHolidays);
  const [day, setDay] = useState({ date: '', periods: '', note: '' });
  const zones = useMemo(
    () => (Intl.supportedValuesOf?.('timeZone') ?? [calendar.timeZone]).map((zone) => ({ value: zone })),
    [calendar.timeZone],
  );
  const parsedWeek = weekly.map(parsePeriods);
  const nextChange = changeText(calendar.now.nextChange, calendar.timeZone, locale);
  const weekdays = t('hours.weekdays', { returnObjects: true }) as string[];

  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Alert
        type={calendar.now.open ? 'success' : 'info'}
        data-testid={`preview-${calendar.name}`}
        title={
          calendar.now.open
            ? nextChange
              ? t('hours.openUntil', { time: nextChange })
              : t('hours.openAlways')
            : nextChange
              ? t('hours.closedUntil', { time: nextChange })
              : t('hours.closedAlways')
        }
        description={
          <Space wrap>
            {calendar.isShipped && <Tag>{t('hours.shipped')}</Tag>}
            {calendar.isChanged && <Tag color="orange">{t('hours.changed')}</Tag>}
            {calendar.channels.map((channel) => (
              <Tag color="blue" key={channel}>
                {t(`hours.channels.${channel}`)}
              </Tag>
            ))}
            <Typography.Text type="secondary">{calendar.timeZone}</Typography.Text>
          </Space>
        }
      />

      <Form layout="horizontal" labelCol={{ span: 4 }} wrapperCol={{ span: 14 }} disabled={!isAdmin}>
        <Form.Item label={t('hours.timeZone')}>
          <Select showSearch value={timeZone} options={zones} onChange={setTimeZone} style={{ maxWidth: 280 }} />
        </Form.Item>
        {weekdays.map((label, index) => (
          <Form.Item
            key={label}
            label={label}
            validateStatus={parsedWeek[index] ? undefined : 'error'}
            help={parsedWeek[index] ? undefined : t('hours.periodsInvalid')}
          >
            <Input
              aria-label={label}
              value={weekly[index]}
              placeholder={t('hours.closed')}
              onChange={(event) => setWeekly((days) => days.map((text, position) => (position === index ? event.target.value : text)))}
            />
          </Form.Item>
        ))}
        <Form.Item wrapperCol={{ offset: 4, span: 14 }} extra={t('hours.periodsHint')}>
          <Checkbox checked={followsHolidays} onChange={(event) => setFollowsHolidays(event.target.checked)}>
            {t('hours.followsChinaHolidays')}
          </Checkbox>
        </Form.Item>
        {isAdmin && (
          <Form.Item wrapperCol={{ offset: 4, span: 14 }}>
            <Button
              type="primary"
              disabled={parsedWeek.some((periods) => !periods)}
              onClick={() =>
                void apply(
                  saveCalendar(calendar.name, { timeZone, weekly: parsedWeek as OpeningPeriod[][], followsChinaHolidays: followsHolidays }),
                  t('hours.saved'),
                )
              }
            >
              {t('hours.save')}
            </Button>
          </Form.Item>
        )}
      </Form>

      <Typography.Title level={5}>{t('hours.overridesTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('hours.overridesIntro')}</Typography.Paragraph>
      {isAdmin && (
        <Space wrap align="start">
          <Input
            type="date"
            aria-label={t('hours.date')}
            value={day.date}
            onChange={(event) => setDay({ ...day, date: event.target.value })}
          />
          <Input
            aria-label={t('hours.dayPeriods')}
            placeholder={t('hours.dayPeriodsPlaceholder')}
            value={day.periods}
            status={parsePeriods(day.periods) ? undefined : 'error'}
            onChange={(event) => setDay({ ...day, periods: event.target.value })}
            style={{ width: 220 }}
          />
          <Input
            aria-label={t('hours.note')}
            placeholder={t('hours.note')}
            value={day.note}
            maxLength={200}
            onChange={(event) => setDay({ ...day, note: event.target.value })}
            style={{ width: 220 }}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!day.date || !parsePeriods(day.periods)}
            onClick={async () => {
              const periods = parsePeriods(day.periods) ?? [];
              const isDone = await apply(
                setCalendarDay(calendar.name, { date: day.date, periods, note: day.note || undefined }),
                t('hours.saved'),
              );
              if (isDone) setDay({ date: '', periods: '', note: '' });
            }}
          >
            {t('hours.addDay')}
          </Button>
        </Space>
      )}
      <Table
        size="small"
        rowKey="date"
        pagination={false}
        dataSource={calendar.overrides}
        locale={{ emptyText: t('hours.noOverrides') }}
        columns={[
          { title: t('hours.date'), dataIndex: 'date' },
          {
            title: t('hours.dayPeriods'),
            render: (_, override) => (override.periods.length === 0 ? <Tag>{t('hours.closed')}</Tag> : periodsText(override.periods)),
          },
          { title: t('hours.note'), dataIndex: 'note', render: (note: string | null) => note ?? '' },
          ...(isAdmin
            ? [
                {
                  title: '',
                  key: 'remove',
                  render: (_: unknown, override: CalendarView['overrides'][number]) => (
                    <Popconfirm
                      title={t('hours.removeConfirm', { date: override.date })}
                      onConfirm={() => void apply(removeCalendarDay(calendar.name, override.date), t('hours.removed'))}
                    >
                      <Button type="link" danger>
                        {t('hours.remove')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />

      <Typography.Title level={5}>{t('hours.upcomingTitle')}</Typography.Title>
      <Table
        size="small"
        rowKey="date"
        pagination={false}
        dataSource={calendar.upcoming}
        columns={[
          {
            title: t('hours.date'),
            dataIndex: 'date',
            render: (date: string) => `${date} ${weekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] ?? ''}`,
          },
          {
            title: t('hours.dayPeriods'),
            render: (_, upcoming) => (upcoming.periods.length === 0 ? t('hours.closed') : periodsText(upcoming.periods)),
          },
          {
            title: t('hours.why'),
            render: (_, upcoming) =>
              upcoming.kind === 'weekly' ? (
                <Typography.Text type="secondary">{t('hours.kinds.weekly')}</Typography.Text>
              ) : (
                <Tag color={upcoming.kind === 'public_holiday' ? 'red' : upcoming.kind === 'make_up_workday' ? 'green' : 'orange'}>
                  {t(`hours.kinds.${upcoming.kind}`)}
                  {upcoming.name ? ` · ${upcoming.name}` : ''}
                </Tag>
              ),
          },
        ]}
      />
    </Space>
  );
}
