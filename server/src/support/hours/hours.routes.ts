import {
  addCalendarDayRequestSchema,
  calendarNameSchema,
  errorBodySchema,
  hoursSettingsSchema,
  localDateSchema,
  saveCalendarRequestSchema,
  setChannelCalendarRequestSchema,
  supportChannelSchema,
  supportHoursQuerySchema,
  supportHoursSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { requireStaff, staffOf } from '../../identity/index.js';
import type { App } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { chooseChannelCalendar } from './choose-channel-calendar.js';
import { describeSupportHours } from './describe-support-hours.js';
import { hoursSettings } from './hours-settings.js';
import { removeCalendarDay } from './remove-calendar-day.js';
import { saveCalendar } from './save-calendar.js';
import { setCalendarDay } from './set-calendar-day.js';
import { currentHours } from './support-hours.js';

const calendarParams = z.strictObject({ name: calendarNameSchema });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/** Business hours: the public answer per channel, and the console's calendar administration. */
export async function registerHoursRoutes(app: App, deps: SupportDeps) {
  const supervisors = requireStaff(deps, ['supervisor', 'admin']);
  const admins = requireStaff(deps, ['admin']);
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ staffId: staffOf(request).staffId, ip: request.ip });

  app.get(
    '/api/support/hours',
    {
      schema: {
        tags: ['support'],
        summary: 'Each channel’s hours, whether it is open now and when that changes (public; cached briefly)',
        querystring: supportHoursQuerySchema,
        response: { 200: supportHoursSchema, 400: errorBodySchema },
      },
    },
    async (request, reply) => {
      const at = deps.clock.now();
      const channels = await describeSupportHours(deps, { locale: request.locale, at, timeZone: request.query.timeZone });
      // Briefly cacheable: open/closed is at most this stale, and nextChange lets a page flip it on time.
      reply.header('cache-control', `public, max-age=${deps.config.support.hoursCacheSeconds * 2}`).header('vary', 'accept-language');
      return { at: at.toISOString(), channels };
    },
  );

  app.get(
    '/api/agent/hours',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Business-hours calendars, days set by hand, each channel’s calendar and holiday-data coverage (supervisors, admins)',
        response: { 200: hoursSettingsSchema, ...errors },
      },
      preHandler: supervisors,
    },
    async (request) => hoursSettings(await currentHours(deps), deps.clock.now(), request.locale),
  );

  app.put(
    '/api/agent/hours/calendars/:name',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Create or change a calendar: time zone, weekly periods, whether China’s holidays apply (admins)',
        params: calendarParams,
        body: saveCalendarRequestSchema,
        response: { 200: hoursSettingsSchema, ...errors },
      },
      preHandler: admins,
    },
    async (request) => {
      await saveCalendar(deps, request.params.name, request.body, actor(request));
      return hoursSettings(await currentHours(deps), deps.clock.now(), request.locale);
    },
  );

  app.put(
    '/api/agent/hours/calendars/:name/days/:date',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Set one day by hand: closed (no periods) or its own periods; replaces an earlier setting (admins)',
        params: calendarParams.extend({ date: localDateSchema }),
        body: addCalendarDayRequestSchema.omit({ date: true }),
        response: { 200: hoursSettingsSchema, ...errors },
      },
      preHandler: admins,
    },
    async (request) => {
      await setCalendarDay(deps, request.params.name, { ...request.body, date: request.params.date }, actor(request));
      return hoursSettings(await currentHours(deps), deps.clock.now(), request.locale);
    },
  );

  app.delete(
    '/api/agent/hours/calendars/:name/days/:date',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Remove a day set by hand; the holiday data and the weekly periods apply again (admins)',
        params: calendarParams.extend({ date: localDateSchema }),
        response: { 200: hoursSettingsSchema, ...errors },
      },
      preHandler: admins,
    },
    async (request) => {
      await removeCalendarDay(deps, request.params.name, request.params.date, actor(request));
      return hoursSettings(await currentHours(deps), deps.clock.now(), request.locale);
    },
  );

  app.put(
    '/api/agent/hours/channels/:channel',
    {
      schema: {
        tags: ['agent console'],
        summary: 'Choose the calendar a channel keeps (admins)',
        params: z.strictObject({ channel: supportChannelSchema }),
        body: setChannelCalendarRequestSchema,
        response: { 200: hoursSettingsSchema, ...errors },
      },
      preHandler: admins,
    },
    async (request) => {
      await chooseChannelCalendar(deps, request.params.channel, request.body.calendar, actor(request));
      return hoursSettings(await currentHours(deps), deps.clock.now(), request.locale);
    },
  );
}
