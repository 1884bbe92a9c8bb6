import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';
import { renderArticleHtml } from './render-article.js';

let runtime: Runtime;
let address = 0;

/** Each test asks from its own address, so the per-IP search budget of one does not touch another. */
async function get(url: string, headers: Record<string, string> = {}) {
  address += 1;
  const response = await runtime.app.inject({ method: 'GET', url, headers, remoteAddress: `10.9.0.${address}` });
  return { status: response.statusCode, headers: response.headers, text: response.body, json: () => response.json() };
}

beforeAll(async () => {
  runtime = await startTestRuntime({
    env: { HELP_SEARCH_RATE_LIMIT_PER_MINUTE: '5', SUPPORT_PHONE: '400-820-8820' },
  });
});

afterAll(async () => {
  await runtime.close();
});

describe('help search API', () => {
  it('answers "充值失败" with the top-up failure article first, its exact title and a highlighted snippet', async () => {
    const response = await get(`/api/help/search?q=${encodeURIComponent('充值失败')}&locale=zh-CN`);
    expect(response.status).toBe(200);
    const { results } = response.json();
    expect(results[0]).toMatchObject({ slug: 'top-up-failed', title: '充值失败怎么办？', url: '/help/top-up-failed' });
    expect(results[0].snippet).toContain('<mark>充值</mark>');
    expect(results[0].score).toBeGreaterThan(0);
  });

  it('searches the English articles for an English customer', async () => {
    const response = await get('/api/help/search?q=forgot%20my%20password', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(response.json().results[0]).toMatchObject({ slug: 'forgot-password', title: 'I forgot my password' });
  });

  it('escapes what it highlights, so a snippet never carries markup from the query', async () => {
    const response = await get(`/api/help/search?q=${encodeURIComponent('<script>充值</script>')}&locale=zh-CN`);
    for (const result of response.json().results) expect(result.snippet).not.toMatch(/<(?!\/?mark>)/);
  });

  it.each([
    ['a NUL character', 'a%00b'],
    ['an over-long query', 'x'.repeat(201)],
  ])('refuses %s with 400', async (_label, q) => {
    const response = await get(`/api/help/search?q=${q}`);
    expect(response.status).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('refuses a lone surrogate in what the widget sends with 400', async () => {
    const response = await runtime.app.inject({
      method: 'POST',
      url: '/api/help/suggestions',
      headers: { 'content-type': 'application/json' },
      payload: '{"q":"\\ud800充值","surface":"composer"}',
      remoteAddress: '10.7.7.7',
    });
    expect(response.statusCode).toBe(400);
  });

  it('limits searches per address and says when to try again', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof runtime.app.inject>> | undefined;
    for (let attempt = 0; attempt < 6; attempt += 1) {
      last = await runtime.app.inject({ method: 'GET', url: '/api/help/search?q=%E5%85%85%E5%80%BC', remoteAddress: '10.8.8.8' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.json().error.code).toBe('rate_limited');
  });
});

describe('help article API', () => {
  it('pages through every published article without repeats, and refuses forged cursors', async () => {
    const slugs: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`/api/help/articles?locale=en&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = response.json();
      slugs.push(...page.items.map((item: { slug: string; url: string }) => item.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(slugs.length).toBeGreaterThanOrEqual(30);
    expect(new Set(slugs).size).toBe(slugs.length);
    const forged = Buffer.from(JSON.stringify({ category: 'account', position: -1, slug: 'x' })).toString('base64url');
    for (const bad of [forged, 'not-a-cursor', Buffer.from('{"category":"nope"}').toString('base64url')]) {
      const response = await get(`/api/help/articles?cursor=${bad}`);
      expect(response.status).toBe(400);
      expect(response.json().error.code).toBe('invalid_cursor');
    }
  });

  it('serves an article with facts from the configuration and the business calendars, and absolute links for the widget', async () => {
    const shipped = (await get('/api/help/articles/phone-support?locale=zh-CN')).json();
    expect(shipped.html).toContain('每天 09:00–21:00，节假日照常（中国标准时间）');
    // An administrator changes the phone hours: the article says so at once, nothing else to edit.
    const admin = await signedInStaff(runtime, 'admin');
    const everyDay = Array.from({ length: 7 }, () => [{ start: '08:30', end: '20:00' }]);
    const saved = await admin.client.put('/api/agent/hours/calendars/phone', {
      timeZone: 'Asia/Shanghai',
      weekly: everyDay,
      followsChinaHolidays: false,
    });
    expect(saved.status).toBe(200);
    const response = await get('/api/help/articles/phone-support?locale=zh-CN');
    const article = response.json();
    expect(article.html).toContain('400-820-8820');
    expect(article.html).toContain('每天 08:30–20:00，节假日照常（中国标准时间）');
    const english = (await get('/api/help/articles/phone-support?locale=en')).json();
    expect(english.html).toContain('daily 08:30–20:00, public holidays included (China Standard Time)');
    expect(article.html).not.toContain('{{');
    expect(article.html).toContain('href="http://okpay.test/help/live-chat"');
    expect(article.translations).toEqual([{ locale: 'en', url: '/help/phone-support?lang=en' }]);
  });

  it('answers 404 for an article that does not exist', async () => {
    const response = await get('/api/help/articles/no-such-article');
    expect(response.status).toBe(404);
    expect(response.json().error.code).toBe('help_article_not_found');
  });
});

describe('suggestions in the chat widget', () => {
  async function post(url: string, body: unknown, token?: string) {
    address += 1;
    const response = await runtime.app.inject({
      method: 'POST',
      url,
      payload: body as Record<string, unknown>,
      headers: token ? { 'x-chat-token': token } : {},
      remoteAddress: `10.9.1.${address}`,
    });
    return { status: response.statusCode, json: () => response.json() };
  }
  const visitorToken = async () => (await post('/api/support/visitor-token', {})).json().token as string;

  it('records one round of suggestions, the article opened and the chat started anyway, and publishes each', async () => {
    const token = await visitorToken();
    const first = await post('/api/help/suggestions', { q: '充值', surface: 'pre_chat', locale: 'zh-CN' }, token);
    expect(first.status).toBe(200);
    const { suggestionId, results } = first.json();
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    const second = await post(
      '/api/help/suggestions',
      { q: '充值失败了 卡号4242424242424242', surface: 'composer', locale: 'zh-CN', suggestionId },
      token,
    );
    expect(second.json().suggestionId).toBe(suggestionId);
    expect(second.json().results[0].slug).toBe('top-up-failed');
    expect((await post(`/api/help/suggestions/${suggestionId}/outcome`, { outcome: 'opened', slug: 'top-up-failed' }, token)).status).toBe(
      204,
    );
    expect((await post(`/api/help/suggestions/${suggestionId}/outcome`, { outcome: 'chat_started' }, token)).status).toBe(204);
    const row = await runtime.deps.pool.query(
      'SELECT query, shown_slugs, opened_slugs, chat_started_at FROM help_suggestions WHERE id = $1',
      [suggestionId],
    );
    expect(row.rows[0].query).not.toContain('4242424242424242');
    expect(row.rows[0].opened_slugs).toEqual(['top-up-failed']);
    expect(row.rows[0].chat_started_at).not.toBeNull();
    const events = await runtime.deps.pool.query('SELECT type FROM domain_events WHERE subject_id = $1 ORDER BY id', [suggestionId]);
    expect(events.rows.map((event) => event.type)).toEqual([
      'support.help-suggestions.shown',
      'support.help-suggestion.opened',
      'support.help-suggestion.chat-started',
    ]);
  });

  it("does not let one visitor record outcomes on another's suggestions", async () => {
    const mine = await post('/api/help/suggestions', { q: '忘记密码', surface: 'composer' }, await visitorToken());
    const theirs = await post(
      `/api/help/suggestions/${mine.json().suggestionId}/outcome`,
      { outcome: 'chat_started' },
      await visitorToken(),
    );
    expect(theirs.status).toBe(404);
  });

  it('refuses a forged chat token', async () => {
    expect((await post('/api/help/suggestions', { q: '忘记密码', surface: 'composer' }, 'forged')).status).toBe(401);
  });
});

describe('help pages', () => {
  it('render the home page with categories, plain article links and metadata in the visitor language', async () => {
    const response = await get('/help', { 'accept-language': 'zh-CN' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('<html lang="zh-CN">');
    expect(response.text).toContain('<title>OKPay 帮助中心</title>');
    expect(response.text).toContain('href="/help/forgot-password"');
    expect(response.text).toContain('账户与安全');
    expect(response.text).toContain('<link rel="alternate" hreflang="en" href="http://okpay.test/help?lang=en">');
    expect(response.text).toContain('<script src="/widget.js" async></script>');
  });

  it('show the published numbers with whether the phone line is open now, as the hours API says it', async () => {
    const page = await get('/help/top-up-failed?lang=en');
    const hours = (await get('/api/support/hours', { 'accept-language': 'en' })).json();
    const phone = hours.channels.find((channel: { channel: string }) => channel.channel === 'phone');
    expect(page.text).toContain('<a href="tel:400-820-8820">400-820-8820</a>');
    expect(page.text).toContain(`<p data-phone-status>${phone.status}</p>`);
    expect(phone.status).toMatch(/^(Lines open now|Closed now; lines open .+)$/);
    // The page's script re-reads it in the reader's zone.
    expect((await get('/help/assets/help-page.js')).text).toContain('[data-phone-status]');
  });

  it('render an article with title, description, Open Graph, canonical and hreflang links', async () => {
    const response = await get('/help/forgot-password?lang=en');
    expect(response.text).toContain('<title>I forgot my password - OKPay Help Centre</title>');
    expect(response.text).toMatch(/<meta name="description" content="Click &#34;Forgot password&#34; on the sign-in page/);
    expect(response.text).toContain('<meta property="og:title" content="I forgot my password">');
    expect(response.text).toContain('<link rel="canonical" href="http://okpay.test/help/forgot-password?lang=en">');
    expect(response.text).toContain('<link rel="alternate" hreflang="zh-CN" href="http://okpay.test/help/forgot-password?lang=zh-CN">');
    expect(response.text).toContain('<svg');
    expect(response.headers['set-cookie']).toContain('okpay_locale=en');
  });

  it('follow the language cookie the site remembers over Accept-Language', async () => {
    const response = await get('/help/top-up-failed', { cookie: 'okpay_locale=en', 'accept-language': 'zh-CN' });
    expect(response.text).toContain('<h1>My top-up failed</h1>');
  });

  it('answer an unknown article with a 404 page that offers search', async () => {
    const response = await get('/help/not-an-article', { 'accept-language': 'en' });
    expect(response.status).toBe(404);
    expect(response.text).toContain('Article not found');
    expect(response.text).toContain('action="/help/search"');
  });

  it('record "was this helpful?" from a plain form and thank the reader', async () => {
    const response = await runtime.app.inject({
      method: 'POST',
      url: '/help/top-up-failed/feedback?lang=zh-CN',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=no&reason=%E6%88%91%E7%9A%84%E5%8D%A1+4242424242424242',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/help/top-up-failed?lang=zh-CN&feedback=thanks#feedback');
    const stored = await runtime.deps.pool.query(
      `SELECT f.is_helpful, f.reason FROM help_feedback f JOIN help_articles a ON a.id = f.article_id WHERE a.slug = 'top-up-failed'`,
    );
    expect(stored.rows[0]?.is_helpful).toBe(false);
    expect(stored.rows[0]?.reason).toMatch(/^我的卡 /);
    expect(stored.rows[0]?.reason).not.toContain('4242424242424242');
    const page = await get('/help/top-up-failed?lang=zh-CN&feedback=thanks');
    expect(page.text).toContain('谢谢您的反馈');
  });

  it('render search results with highlighted snippets', async () => {
    const response = await get(`/help/search?q=${encodeURIComponent('帳戶被凍結')}&lang=zh-CN`);
    expect(response.text).toContain('href="/help/account-frozen-why"');
    expect(response.text).toContain('<mark>');
  });
});

describe('article sanitising', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['an HTML javascript: link', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['an event handler', '<img src="x" onerror="alert(1)">'],
    ['a script inside SVG', '<svg><script>alert(1)</script></svg>'],
    ['an SVG onload', '<svg onload="alert(1)"><rect/></svg>'],
    ['an SVG animation that rewrites a link', '<svg><a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>'],
    ['a foreignObject', '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>'],
    ['raw text re-parsed inside SVG', '<svg><textarea><img src=x onerror=alert(1)></textarea></svg>'],
    ['an SVG use of an outside file', '<svg><use href="https://evil.example/x.svg#a"/></svg>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['a data: URL image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a protocol-relative link', '[x](//evil.example)'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    ['a form', '<form action="https://evil.example"><input name="password"></form>'],
  ])('lets no %s through', (_label, markdown) => {
    const html = renderArticleHtml(`Text\n\n${markdown}\n`);
    // What a browser would run or load: script elements, handlers, script or data URLs in attributes, frames.
    expect(html).not.toMatch(
      /<script|<iframe|<foreignobject|<use\b|<animate|<form|<input|\son\w+=|(?:href|src|to)="\s*(?:javascript|data):|style="|href="\/\//i,
    );
  });

  it('keeps what articles need: steps, tables, app links and diagrams', () => {
    const html = renderArticleHtml(
      '1. Open [Cards](/app/cards)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<svg viewBox="0 0 10 10"><rect x="1" y="1" width="5" height="5"/><text x="1" y="9">步骤</text></svg>\n\n[mail](mailto:{{contact.email}})',
    );
    expect(html).toContain('<ol>');
    expect(html).toContain('<a href="/app/cards">Cards</a>');
    expect(html).toContain('<table>');
    expect(html).toMatch(/<svg viewBox="0 0 10 10"><rect/);
    expect(html).toContain('href="mailto:{{contact.email}}"');
  });
});
