import type { App } from '../platform/index.js';

type Json = Record<string, unknown> | unknown[];

/** A tiny HTTP client over app.inject that keeps cookies like a browser does. */
export function httpClient(app: App, defaults: { headers?: Record<string, string> } = {}) {
  const cookies = new Map<string, string>();
  let csrfToken: string | undefined;
  async function request(method: string, url: string, options: { body?: Json | string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...defaults.headers, ...options.headers };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (csrfToken && !['GET', 'HEAD'].includes(method) && !headers['x-csrf-token']) headers['x-csrf-token'] = csrfToken;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await app.inject({ method: method as 'GET', url, headers, payload });
    for (const cookie of response.cookies) {
      // Tests run on fixed clocks, so only an explicit clear (empty value) removes a cookie here;
      // session expiry itself is the server's job and is tested there.
      if (cookie.value === '') cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    const body = response.headers['content-type']?.includes('json') && response.body ? response.json() : response.body;
    if (body && typeof body === 'object' && 'csrfToken' in body && typeof body.csrfToken === 'string') csrfToken = body.csrfToken;
    return { status: response.statusCode, body, headers: response.headers, raw: response };
  }
  return {
    get: (url: string, headers?: Record<string, string>) => request('GET', url, { headers }),
    post: (url: string, body?: Json | string, headers?: Record<string, string>) => request('POST', url, { body, headers }),
    patch: (url: string, body?: Json | string, headers?: Record<string, string>) => request('PATCH', url, { body, headers }),
    put: (url: string, body?: Json | string, headers?: Record<string, string>) => request('PUT', url, { body, headers }),
    delete: (url: string, headers?: Record<string, string>) => request('DELETE', url, { headers }),
    request,
    cookies,
    forgetCsrf: () => {
      csrfToken = undefined;
    },
  };
}

export type HttpClient = ReturnType<typeof httpClient>;

let counter = 0;
export function uniqueEmail(prefix = 'customer'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}@example.com`;
}

export const goodPassword = 'Blue-Harbour-Kite-42';
