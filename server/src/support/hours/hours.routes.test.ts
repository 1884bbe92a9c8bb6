import type { ChannelHours, HoursSettings, SupportHours } from '@okpay/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';

const clock = fixedClock('2026-04-03T16:00:00+08:00'); // a Friday afternoon before Qingming
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ clock });
});
afterAll(() => runtime?.close());

async function hours(locale = 'zh-CN', query = ''): Promise<SupportHours> {
  const response = await runtime.app.inject({ url: `/api/support/hours${query}`, headers: { 'accept-language': locale } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const channel = (answer: SupportHours, name: string) => answer.channels.find((entry) => entry.channel === name) as ChannelHours;

describe('GET /api/support/hours', () => {
  it('answers per channel with the shipped calendars: chat and phone daily 09:00–21:00, email on the office calendar', async () => {
    clock.set('2026-04-03T16:00:00+08:00');
    const answer = await hours();
    expect(answer.channels.map((entry) => entry.channel)).toEqual(['chat', 'email', 'phone']);
    expect(channel(answer, 'chat')).toMatchObject({
      timeZone: 'Asia/Shanghai',
      open: true,
      nextChange: '2026-04-03T13:00:00.000Z',
      periodsToday: [{ start: '09:00', end: '21:00' }],
      label: '在线客服',
      summary: '每天 09:00–21:00，节假日照常（中国标准时间）',
      todayText: '今天 09:00–21:00',
      status: '现在在线',
    });
    expect(channel(answer, 'email')).toMatchObject({ calendar: 'default', open: true, nextChange: '2026-04-03T10:00:00.000Z' });
    expect(channel(answer, 'email').summary).toBe('周一至周五 09:00–18:00，法定节假日休息，调休上班日照常（中国标准时间）');
  });

  it('publishes the phone numbers with the phone hours, labelled in the reader’s language, and no other channel carries any', async () => {
    clock.set('2026-04-03T16:00:00+08:00');
    const zh = channel(await hours(), 'phone');
    expect(zh).toMatchObject({ open: true, status: '现在可以拨打', todayText: '今天 09:00–21:00' });
    expect(zh.numbers).toEqual([
      { number: '400-000-0000', dial: '4000000000', label: '客服热线（中国大陆）' },
      { number: '+86 21 0000 0000', dial: '+862100000000', label: '海外客户' },
    ]);
    const en = await hours('en');
    expect(channel(en, 'phone').numbers?.map((entry) => entry.label)).toEqual(['Hotline (mainland China)', 'From abroad']);
    expect(channel(en, 'chat').numbers).toBeUndefined();
    expect(channel(en, 'email').numbers).toBeUndefined();
  });

  it('says when a reply can be expected outside hours, in the reader’s language and zone', async () => {
    clock.set('2026-04-03T22:00:00+08:00');
    const zh = await hours();
    expect(channel(zh, 'chat')).toMatchObject({
      open: false,
      nextChange: '2026-04-04T01:00:00.000Z',
      status: '现在是非工作时间，预计 明天 09:00 回复',
    });
    // The office is closed over Qingming (4–6 April): email waits for Tuesday.
    expect(channel(zh, 'email').status).toBe('现在是非工作时间，预计 周二 09:00 起处理');
    expect(channel(zh, 'email').nextChange).toBe('2026-04-07T01:00:00.000Z');
    const en = await hours('en', '?timeZone=Europe/London');
    expect(channel(en, 'chat').status).toBe('Outside business hours now; expect a reply tomorrow 02:00 (British Summer Time)');
    expect(channel(en, 'phone').status).toBe('Closed now; lines open tomorrow 02:00 (British Summer Time)');
    // A reader whose clock agrees with the calendar's is not told the zone again.
    expect(channel(await hours('zh-CN', '?timeZone=Asia/Hong_Kong'), 'chat').status).toBe('现在是非工作时间，预计 明天 09:00 回复');
  });

  it('answers a message left outside chat hours with when a reply can be expected', async () => {
    clock.set('2026-04-03T22:00:00+08:00');
    const left = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/offline-messages',
      headers: { 'accept-language': 'zh-CN' },
      payload: { email: 'late@example.com', message: '充值没到账', category: 'top_up', timeZone: 'Asia/Shanghai' },
    });
    expect(left.statusCode).toBe(201);
    const late = left.json();
    expect(late.message).toBe(
      `留言已收到，工单编号 #${late.reference}。现在是非工作时间，预计 明天 09:00 回复。确认邮件已发送到 late@example.com，客服会在 48 小时内通过邮件回复您，预计在 2026年4月5日星期日 22:00（中国标准时间）前回复（复杂问题需要 1–3 个工作日），直接回复邮件即可继续沟通。`,
    );
    clock.set('2026-04-03T12:00:00+08:00');
    const during = await runtime.app.inject({
      method: 'POST',
      url: '/api/support/offline-messages',
      headers: { 'accept-language': 'en' },
      payload: { email: 'noon@example.com', message: 'Top-up missing' },
    });
    const noon = during.json();
    expect(noon.message).toBe(
      `Message received; your reference is #${noon.reference}. We have sent a confirmation to noon@example.com and will reply by email within 48 hours, by Sunday, 5 April 2026 at 12:00 (China Standard Time) (complex cases take 1–3 business days). Reply to that email to continue.`,
    );
  });

  it('names the holiday on a closed day', async () => {
    clock.set('2026-04-05T10:00:00+08:00');
    const email = channel(await hours(), 'email');
    expect(email).toMatchObject({ open: false, periodsToday: [], today: { date: '2026-04-05', kind: 'public_holiday', name: '清明' } });
    expect(email.todayText).toBe('今天休息（清明）');
  });

  it('is public, briefly cacheable and readable from other sites; a bad zone is refused with 400', async () => {
    const response = await runtime.app.inject({ url: '/api/support/hours', headers: { origin: 'https://shop.example' } });
    expect(response.headers['cache-control']).toBe('public, max-age=30');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const refused = await runtime.app.inject({ url: '/api/support/hours?zone=x' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('validation_failed');
  });
});

describe('administering calendars', () => {
  it('lets an admin close a day by hand, shows it at once and audits it; removing it restores the feed', async () => {
    clock.set('2026-04-03T10:00:00+08:00');
    const admin = await signedInStaff(runtime, 'admin');
    const set = await admin.client.put('/api/agent/hours/calendars/chat/days/2026-04-03', { periods: [], note: '系统升级' });
    expect(set.status).toBe(200);
    const chatCalendar = (set.body as HoursSettings).calendars.find((calendar) => calendar.name === 'chat');
    expect(chatCalendar?.overrides).toMatchObject([{ date: '2026-04-03', periods: [], note: '系统升级' }]);
    expect(chatCalendar?.now.open).toBe(false);
    expect(channel(await hours(), 'chat')).toMatchObject({ open: false, todayText: '今天休息（系统升级）' });
    const audit = await runtime.deps.pool.query("SELECT action, actor_id, details FROM audit_events WHERE action LIKE 'hours.%'");
    expect(audit.rows).toMatchObject([{ action: 'hours.day_set', actor_id: admin.id, details: { date: '2026-04-03', note: '系统升级' } }]);

    expect((await admin.client.delete('/api/agent/hours/calendars/chat/days/2026-04-03')).status).toBe(200);
    expect(channel(await hours(), 'chat').open).toBe(true);
    const again = await admin.client.delete('/api/agent/hours/calendars/chat/days/2026-04-03');
    expect(again.status).toBe(404);
  });

  it('refuses days PostgreSQL has no date for, such as the year 0000, with a 400 before any query', async () => {
    const admin = await signedInStaff(runtime, 'admin');
    for (const date of ['0000-01-01', '0000-02-29', '10000-01-01']) {
      const removed = await admin.client.delete(`/api/agent/hours/calendars/chat/days/${date}`);
      expect(removed.status).toBe(400);
      const set = await admin.client.put(`/api/agent/hours/calendars/chat/days/${date}`, { periods: [], note: '无' });
      expect(set.status).toBe(400);
    }
  });

  it('saves a split-shift calendar and moves a channel onto it', async () => {
    clock.set('2026-04-08T12:30:00+08:00');
    const admin = await signedInStaff(runtime, 'admin');
    const weekday = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ];
    const saved = await admin.client.put('/api/agent/hours/calendars/phone-split', {
      timeZone: 'Asia/Shanghai',
      weekly: [weekday, weekday, weekday, weekday, weekday, [], []],
      followsChinaHolidays: true,
    });
    expect(saved.status).toBe(200);
    expect((await admin.client.put('/api/agent/hours/channels/phone', { calendar: 'phone-split' })).status).toBe(200);
    const phone = channel(await hours(), 'phone');
    expect(phone).toMatchObject({ calendar: 'phone-split', open: false, nextChange: '2026-04-08T05:00:00.000Z' });
    expect(phone.summary).toBe('周一至周五 09:00–12:00、13:00–18:00，法定节假日休息，调休上班日照常（中国标准时间）');
    expect((await admin.client.put('/api/agent/hours/channels/phone', { calendar: 'phone' })).status).toBe(200);
  });

  it('refuses bad calendars with clear reasons', async () => {
    const admin = await signedInStaff(runtime, 'admin');
    const overlapping = await admin.client.put('/api/agent/hours/calendars/default', {
      timeZone: 'Asia/Shanghai',
      weekly: [
        [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '18:00' },
        ],
        [],
        [],
        [],
        [],
        [],
        [],
      ],
      followsChinaHolidays: true,
    });
    expect(overlapping.status).toBe(400);
    const zone = await admin.client.put('/api/agent/hours/calendars/default', {
      timeZone: 'Mars/Olympus',
      weekly: [[], [], [], [], [], [], []],
      followsChinaHolidays: true,
    });
    expect(zone.status).toBe(400);
    expect((zone.body as { error: { code: string } }).error.code).toBe('time_zone_unknown');
    const backwards = await admin.client.put('/api/agent/hours/calendars/chat/days/2026-05-01', {
      periods: [{ start: '18:00', end: '09:00' }],
    });
    expect(backwards.status).toBe(400);
    const missing = await admin.client.put('/api/agent/hours/calendars/nope/days/2026-05-01', { periods: [] });
    expect(missing.status).toBe(404);
    const badDate = await admin.client.put('/api/agent/hours/calendars/chat/days/2026-02-30', { periods: [] });
    expect(badDate.status).toBe(400);
  });

  it('lets supervisors read and only admins change; warns when next year has no holiday data', async () => {
    clock.set('2026-12-04T10:00:00+08:00');
    const supervisor = await signedInStaff(runtime, 'supervisor');
    const read = await supervisor.client.get('/api/agent/hours');
    expect(read.status).toBe(200);
    const settings = read.body as HoursSettings;
    expect(settings.channels).toEqual({ chat: 'chat', email: 'default', phone: 'phone' });
    expect(settings.holidayData).toMatchObject({ lastYear: 2026, missingYear: 2027 });
    const change = await supervisor.client.put('/api/agent/hours/channels/chat', { calendar: 'default' });
    expect(change.status).toBe(403);
    const agent = await signedInStaff(runtime, 'agent');
    expect((await agent.client.get('/api/agent/hours')).status).toBe(403);
  });
});
