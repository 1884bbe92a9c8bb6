import type { ConversationCategory, HelpArticle, HelpCategory, HelpSearchResult, HelpSuggestionResponse, Locale } from '@okpay/contracts';
import type { Http } from '../api/http';

export type SuggestionSurface = 'composer' | 'pre_chat';

/** The conversation topic that fits an article's category, for "still need help? chat" from inside it. */
export const chatCategoryFor: Record<HelpCategory, ConversationCategory> = {
  account: 'account',
  top_up_cards: 'top_up',
  transfers_exchange: 'exchange',
  history: 'transactions',
  contact: 'other',
};

/** Shortest text worth searching: one Chinese word or a short English one. */
const minimumCharacters = 2;

/**
 * Help articles for what the customer is typing before a chat, debounced, newest answer wins.
 * One suggestion round per attempt at contact: the server counts shown, opened and "chatted anyway".
 */
export class HelpSuggestions {
  private suggestionId: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;
  private lastQuery = '';
  private onResults: (results: HelpSearchResult[]) => void = () => undefined;

  constructor(
    readonly http: Http,
    private readonly token: () => Promise<string | undefined>,
    private readonly delayMs = 350,
  ) {}

  /** Where answers go: the screen showing them. */
  listen(onResults: (results: HelpSearchResult[]) => void): void {
    this.onResults = onResults;
  }

  /** Whether this attempt at contact has seen suggestions. */
  get hasShown(): boolean {
    return this.suggestionId !== null;
  }

  /** Asks again once typing pauses; text too short to mean anything clears the list. */
  update(query: string, surface: SuggestionSurface, locale: Locale): void {
    clearTimeout(this.timer);
    const trimmed = query.trim();
    if (Array.from(trimmed).length < minimumCharacters) {
      this.sequence += 1;
      this.lastQuery = '';
      this.onResults([]);
      return;
    }
    if (trimmed === this.lastQuery) return;
    this.timer = setTimeout(() => void this.fetch(trimmed, surface, locale), this.delayMs);
  }

  private async fetch(query: string, surface: SuggestionSurface, locale: Locale): Promise<void> {
    const sequence = ++this.sequence;
    this.lastQuery = query;
    try {
      const answer = await this.http.request<HelpSuggestionResponse>('/api/help/suggestions', {
        method: 'POST',
        json: { q: query.slice(0, 500), locale, surface, ...(this.suggestionId ? { suggestionId: this.suggestionId } : {}) },
        token: await this.token(),
        locale,
      });
      if (sequence !== this.sequence) return;
      this.suggestionId = answer.suggestionId ?? this.suggestionId;
      this.onResults(answer.results);
    } catch {
      // Suggestions are a help, never a hurdle: without them the chat works as before.
      if (sequence === this.sequence) this.onResults([]);
    }
  }

  async article(slug: string, locale: Locale): Promise<HelpArticle> {
    const article = await this.http.request<HelpArticle>(`/api/help/articles/${encodeURIComponent(slug)}?locale=${locale}`, { locale });
    void this.outcome({ outcome: 'opened', slug }, locale);
    return article;
  }

  /** The customer started the chat after seeing suggestions: recorded once, and the round ends. */
  chatStarted(locale: Locale): void {
    clearTimeout(this.timer);
    this.sequence += 1;
    void this.outcome({ outcome: 'chat_started' }, locale);
    this.suggestionId = null;
    this.lastQuery = '';
  }

  private async outcome(body: { outcome: 'opened' | 'chat_started'; slug?: string }, locale: Locale): Promise<void> {
    const id = this.suggestionId;
    if (!id) return;
    await this.http
      .request(`/api/help/suggestions/${id}/outcome`, { method: 'POST', json: body, token: await this.token(), locale })
      .catch(() => undefined);
  }
}
