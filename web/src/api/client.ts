import { errorBodySchema } from '@okpay/contracts';
import type { z } from 'zod';
import { currentLocale, i18n } from '../i18n';
import { reportNetworkFailure, reportNetworkSuccess } from '../pwa/network-status';

/** Customers and staff hold separate sessions, each with its own CSRF token. */
export type Realm = 'customer' | 'staff';

/** A refused or failed API call, carrying the server's stable code and its localised message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const csrfTokens: Record<Realm, string | undefined> = { customer: undefined, staff: undefined };
const unauthenticatedListeners = new Set<(realm: Realm) => void>();

/** Remembers the CSRF token that a login, registration or /me answer handed out. */
export function setCsrfToken(realm: Realm, token: string | undefined): void {
  csrfTokens[realm] = token;
}

/** Lets a session holder learn that the server no longer knows the session. */
export function onUnauthenticated(listener: (realm: Realm) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

// A wrong password is a 401 too, but only these mean the session itself is gone.
const sessionGoneCodes = new Set(['unauthenticated', 'session_expired']);

function realmOf(path: string): Realm {
  return path.startsWith('/api/agent/') ? 'staff' : 'customer';
}

type RequestOptions<T> = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON, except FormData, which the browser encodes as multipart/form-data itself. */
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Which session's CSRF token to send; by default staff for /api/agent/ paths. */
  realm?: Realm;
  /** Extra request headers, such as `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** Error statuses whose body is the answer itself: a declined top-up is a 402 carrying the top-up. */
  answerStatuses?: readonly number[];
};

// How far this device's clock is from the server's, learnt from the Date header of every answer.
let serverClockOffsetMs = 0;

/** The server's idea of now, so countdowns to server deadlines hold on a device whose clock is off. */
export function serverNow(): number {
  return Date.now() + serverClockOffsetMs;
}

function rememberServerClock(response: Response): void {
  const serverTime = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(serverTime)) return;
  const offset = serverTime - Date.now();
  // The Date header has whole seconds only: trust the device unless it is clearly off.
  serverClockOffsetMs = Math.abs(offset) > 2_000 ? offset : 0;
}

async function send(path: string, method: string, realm: Realm, accept: string, options: RequestOptions<unknown>): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, accept, 'accept-language': currentLocale() };
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json';
  const csrfToken = csrfTokens[realm];
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'include',
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
    });
  } catch {
    reportNetworkFailure();
    throw new ApiError('network_error', i18n.t('common.networkError'), 0);
  }
  reportNetworkSuccess();
  rememberServerClock(response);
  return response;
}

function refusalOf(response: Response, payload: unknown, realm: Realm): ApiError {
  const parsed = errorBodySchema.safeParse(payload);
  const error = parsed.success
    ? new ApiError(parsed.data.error.code, parsed.data.error.message, response.status, parsed.data.error.details)
    : new ApiError('unexpected_response', i18n.t('common.unexpectedError'), response.status);
  if (sessionGoneCodes.has(error.code)) for (const listener of unauthenticatedListeners) listener(realm);
  return error;
}

/**
 * Calls the OKPay API with the session cookie, the UI language and, for changes, the CSRF token.
 * Answers are checked against the shared schema when one is given.
 */
export async function apiRequest<T = undefined>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const realm = options.realm ?? realmOf(path);
  const response = await send(path, method, realm, 'application/json', options as RequestOptions<unknown>);

  const payload: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok && !options.answerStatuses?.includes(response.status)) throw refusalOf(response, payload, realm);
  if (!options.schema) return payload as T;
  const checked = options.schema.safeParse(payload);
  if (!checked.success) {
    // The server and this page disagree about the contract; the details are for developers only.
    console.error(`unexpected answer from ${method} ${path}`, checked.error.issues);
    throw new ApiError('unexpected_response', i18n.t('common.unexpectedError'), response.status);
  }
  return checked.data;
}

/** Downloads a file the API serves (an identity document), with the same session, headers and errors as `apiRequest`. */
export async function apiBlob(path: string, options: { realm?: Realm } = {}): Promise<Blob> {
  const realm = options.realm ?? realmOf(path);
  const response = await send(path, 'GET', realm, '*/*', {});
  if (!response.ok) throw refusalOf(response, await response.json().catch(() => undefined), realm);
  return response.blob();
}

/** The field errors of a 400 validation answer, keyed by body field name. */
export function fieldErrorsOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  const fields: string[] = [];
  for (const issue of error.details as unknown[]) {
    if (typeof issue !== 'object' || issue === null || !('field' in issue) || typeof issue.field !== 'string') continue;
    const [context, name] = issue.field.split('.');
    if (context === 'body' && name) fields.push(name);
  }
  return fields;
}

/** The request never reached OKPay (offline, or the server unreachable). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'network_error';
}

/** The message to show for any failure, whether it came from the server or not. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : i18n.t('common.unexpectedError');
}
