import type { HelpSearchResult } from '@okpay/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Http } from '../api/http';
import { HelpSuggestions } from './help-suggestions';

type Call = { path: string; json: unknown; token?: string };

/** The widget's HTTP seam answering like the server: a round id and results per query. */
function recordingHttp(answer: (call: Call) => unknown | Promise<unknown>) {
  const calls: Call[] = [];
  const http: Http = {
    base: 'https://okpay.example',
    async request<T>(path: string, options: { json?: unknown; token?: string }) {
      const call = { path, json: options.json, token: options.token };
      calls.push(call);
      return (await answer(call)) as T;
    },
    imageLink: async () => ({ url: '', expiresAt: 0 }),
  };
  return { http, calls };
}

const result = (slug: string): HelpSearchResult => ({ slug, title: slug, snippet: slug, url: `/help/${slug}`, score: 1 });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('help suggestions in the widget', () => {
  it('asks once typing pauses, not on every key', async () => {
    const { http, calls } = recordingHttp(() => ({ suggestionId: 'round-1', results: [result('top-up-failed')] }));
    const suggestions = new HelpSuggestions(http, async () => 'token');
    const shown: string[][] = [];
    suggestions.listen((results) => shown.push(results.map((item) => item.slug)));
    for (const text of ['充', '充值', '充值失', '充值失败']) suggestions.update(text, 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((call) => (call.json as { q: string }).q)).toEqual(['充值失败']);
    expect(calls[0]?.token).toBe('token');
    expect(shown.at(-1)).toEqual(['top-up-failed']);
  });

  it('keeps one round for one attempt at contact and records opening and chatting anyway against it', async () => {
    const { http, calls } = recordingHttp((call) =>
      call.path === '/api/help/suggestions' ? { suggestionId: 'round-7', results: [result('forgot-password')] } : undefined,
    );
    const suggestions = new HelpSuggestions(http, async () => undefined);
    suggestions.update('忘记密码', 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    suggestions.update('忘记密码了怎么办', 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    expect((calls[1]?.json as { suggestionId?: string } | undefined)?.suggestionId).toBe('round-7');
    await suggestions.article('forgot-password', 'zh-CN');
    suggestions.chatStarted('zh-CN');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.slice(2).map((call) => [call.path, call.json])).toEqual([
      ['/api/help/articles/forgot-password?locale=zh-CN', undefined],
      ['/api/help/suggestions/round-7/outcome', { outcome: 'opened', slug: 'forgot-password' }],
      ['/api/help/suggestions/round-7/outcome', { outcome: 'chat_started' }],
    ]);
  });

  it('shows only the newest answer when an older one arrives late', async () => {
    let release: (value: unknown) => void = () => undefined;
    const { http } = recordingHttp((call) =>
      (call.json as { q: string }).q === '冻结'
        ? new Promise((resolve) => {
            release = resolve;
          })
        : { suggestionId: null, results: [result('unfreeze-account')] },
    );
    const suggestions = new HelpSuggestions(http, async () => undefined);
    const shown: string[][] = [];
    suggestions.listen((results) => shown.push(results.map((item) => item.slug)));
    suggestions.update('冻结', 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    suggestions.update('怎么解冻', 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    release({ suggestionId: null, results: [result('account-frozen-why')] });
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([['unfreeze-account']]);
  });

  it('clears the list when the text is too short to mean anything', async () => {
    const { http, calls } = recordingHttp(() => ({ suggestionId: null, results: [] }));
    const suggestions = new HelpSuggestions(http, async () => undefined);
    const shown: string[][] = [];
    suggestions.listen((results) => shown.push(results.map((item) => item.slug)));
    suggestions.update('钱', 'composer', 'zh-CN');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual([]);
    expect(shown).toEqual([[]]);
  });
});
