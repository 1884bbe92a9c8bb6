import type { AttachmentLink, Locale } from '@okpay/contracts';

/** A refusal in the server's words (`{ error: { code, message } }`), or `network` when it never answered. */
export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type RequestOptions = {
  method?: 'GET' | 'POST';
  json?: unknown;
  form?: FormData;
  token?: string;
  locale: Locale;
  /** E.g. an Idempotency-Key, so a retried upload is recognised. */
  headers?: Record<string, string>;
};

export type Http = {
  /** The OKPay origin the widget script came from: API and socket live there, whatever page embeds it. */
  base: string;
  request<T>(path: string, options: RequestOptions): Promise<T>;
  /**
   * A short-lived signed link to an image behind the chat token, for an <img src>: the token goes
   * in a header to get the link and never into any URL.
   */
  imageLink(attachmentId: string, token: string): Promise<{ url: string; expiresAt: number }>;
};

export function createHttp(base: string, fallbackMessage: () => string): Http {
  const send = async (path: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      // Tokens travel in a header, never as cookies: the widget runs on other sites.
      response = await fetch(`${base}${path}`, { ...init, credentials: 'omit', mode: 'cors' });
    } catch {
      throw new WidgetApiError(0, 'network', fallbackMessage());
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      throw new WidgetApiError(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? fallbackMessage());
    }
    return response;
  };
  return {
    base,
    async request<T>(path: string, options: RequestOptions): Promise<T> {
      const headers: Record<string, string> = { ...options.headers, 'accept-language': options.locale };
      if (options.token) headers['x-chat-token'] = options.token;
      if (options.json !== undefined) headers['content-type'] = 'application/json';
      const response = await send(path, {
        method: options.method ?? 'GET',
        headers,
        body: options.form ?? (options.json !== undefined ? JSON.stringify(options.json) : undefined),
      });
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
    async imageLink(attachmentId: string, token: string): Promise<{ url: string; expiresAt: number }> {
      const response = await send(`/api/support/attachments/${encodeURIComponent(attachmentId)}/link`, {
        headers: { 'x-chat-token': token },
      });
      const link = (await response.json()) as AttachmentLink;
      return { url: `${base}${link.url}`, expiresAt: Date.parse(link.expiresAt) };
    },
  };
}
