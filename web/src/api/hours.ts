import {
  type AddCalendarDayRequest,
  hoursSettingsSchema,
  type SaveCalendarRequest,
  type SupportChannel,
  supportHoursSchema,
} from '@okpay/contracts';
import { displayTimeZone } from '../wallet/money';
import { apiRequest } from './client';

export const getSupportHours = () => {
  // "Opens Monday 09:00" in the zone every other time on the page is shown in.
  return apiRequest(`/api/support/hours?timeZone=${encodeURIComponent(displayTimeZone())}`, {
    schema: supportHoursSchema,
    realm: 'customer',
  });
};

const calendarPath = (name: string) => `/api/agent/hours/calendars/${encodeURIComponent(name)}`;

export const getHoursSettings = () => apiRequest('/api/agent/hours', { schema: hoursSettingsSchema });

export const saveCalendar = (name: string, body: SaveCalendarRequest) =>
  apiRequest(calendarPath(name), { method: 'PUT', body, schema: hoursSettingsSchema });

export const setCalendarDay = (name: string, { date, ...body }: AddCalendarDayRequest) =>
  apiRequest(`${calendarPath(name)}/days/${date}`, { method: 'PUT', body, schema: hoursSettingsSchema });

export const removeCalendarDay = (name: string, date: string) =>
  apiRequest(`${calendarPath(name)}/days/${date}`, { method: 'DELETE', schema: hoursSettingsSchema });

export const setChannelCalendar = (channel: SupportChannel, calendar: string) =>
  apiRequest(`/api/agent/hours/channels/${channel}`, { method: 'PUT', body: { calendar }, schema: hoursSettingsSchema });
