import { demoPassword } from './server.ts';

/** The seeded admin's console API over fetch (cookie and CSRF token), for setting up journeys. */
export async function adminApi(url: string) {
  const login = await fetch(`${url}/api/agent/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@okpay.local', password: demoPassword }),
  });
  if (login.status !== 200) throw new Error(`admin sign-in failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    get: (path: string) => call('GET', path),
    put: (path: string, body: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

const allDay = [{ start: '00:00', end: '24:00' }];

/**
 * Chat journeys run at any hour of the day, so their server keeps chat open around the clock
 * (the shipped chat calendar is 09:00–21:00 Beijing time, when the widget takes messages only).
 */
export async function keepChatOpenAllDay(url: string): Promise<void> {
  const admin = await adminApi(url);
  await admin.put('/api/agent/hours/calendars/chat', {
    timeZone: 'Asia/Shanghai',
    weekly: [allDay, allDay, allDay, allDay, allDay, allDay, allDay],
    followsChinaHolidays: false,
  });
}
