import type { Locale } from '@okpay/contracts';
import type { Http } from './http';
import type { WidgetStorage } from './storage';

export type IdentityProvider = () => Promise<string | null>;
export type ChatIdentity = { kind: 'customer' | 'visitor'; token: string };

// Refresh a visitor token well before it expires; the server keeps the visitor id when given the old one.
const visitorRefreshMs = 24 * 3600 * 1000;

/**
 * Who the widget speaks for. A host page that knows its signed-in customer hands us a function that
 * returns a signed customer token (asked again on every connect, since those tokens are short-lived);
 * otherwise the browser is an anonymous visitor whose token is kept so they keep their conversation.
 */
export class IdentitySource {
  private provider: IdentityProvider | null = null;
  private visitorRequest: Promise<ChatIdentity> | null = null;

  constructor(
    private readonly http: Http,
    private readonly storage: WidgetStorage,
    private readonly locale: () => Locale,
  ) {}

  setProvider(provider: IdentityProvider | null): void {
    this.provider = provider;
  }

  hasProvider(): boolean {
    return this.provider !== null;
  }

  /** True when a visitor has chatted from this browser before. */
  hasStoredVisitor(): boolean {
    return this.storage.visitor() !== undefined;
  }

  async current(): Promise<ChatIdentity> {
    if (this.provider) {
      const token = await Promise.resolve(this.provider()).catch(() => null);
      if (typeof token === 'string' && token.length > 0) return { kind: 'customer', token };
    }
    return this.visitor();
  }

  private visitor(): Promise<ChatIdentity> {
    const stored = this.storage.visitor();
    if (stored && Date.parse(stored.expiresAt) - Date.now() > visitorRefreshMs)
      return Promise.resolve({ kind: 'visitor', token: stored.token });
    // One refresh at a time: the socket and an HTTP call may ask together.
    this.visitorRequest ??= this.http
      .request<{ token: string; expiresAt: string }>('/api/support/visitor-token', {
        method: 'POST',
        json: stored ? { token: stored.token } : {},
        locale: this.locale(),
      })
      .then(({ token, expiresAt }) => {
        this.storage.setVisitor({ token, expiresAt });
        return { kind: 'visitor' as const, token };
      })
      .catch((error: unknown) => {
        // The server could not be asked: a token that has not expired yet still works.
        if (stored && Date.parse(stored.expiresAt) > Date.now()) return { kind: 'visitor' as const, token: stored.token };
        throw error;
      })
      .finally(() => {
        this.visitorRequest = null;
      });
    return this.visitorRequest;
  }
}
