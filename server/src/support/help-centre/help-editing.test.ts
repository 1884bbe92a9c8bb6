import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { signedInStaff } from '../../test/staff.js';

let runtime: Runtime;
type Staff = Awaited<ReturnType<typeof signedInStaff>>;
let writer: Staff;
let reviewer: Staff;
let agent: Staff;

const search = async (q: string, locale = 'zh-CN') =>
  (await runtime.app.inject({ method: 'GET', url: `/api/help/search?q=${encodeURIComponent(q)}&locale=${locale}` })).json()
    .results as Array<{
    slug: string;
    title: string;
  }>;

beforeAll(async () => {
  runtime = await startTestRuntime();
  writer = await signedInStaff(runtime, 'editor', { displayName: '陈编辑' });
  reviewer = await signedInStaff(runtime, 'admin', { displayName: '王审核' });
  agent = await signedInStaff(runtime, 'agent', { displayName: '李客服' });
});

afterAll(async () => {
  await runtime.close();
});

describe('editing help articles', () => {
  it('takes a new article from draft through review to published, and search finds it at once', async () => {
    const created = await writer.client.post('/api/agent/help/articles', {
      slug: 'gift-cards',
      category: 'top_up_cards',
      locale: 'zh-CN',
      title: '可以用礼品卡充值吗？',
      summary: '暂不支持礼品卡。',
      body: '目前只能用已绑定的银行卡充值，暂不支持礼品卡或购物卡。客服热线 {{contact.phone}}。',
      keywords: ['购物卡', '储值卡'],
    });
    expect(created.status).toBe(201);
    const article = created.body as { id: string; locales: Array<{ locale: string; pending: { version: number; status: string } | null }> };
    expect(article.locales[0]?.pending).toMatchObject({ version: 1, status: 'draft' });
    expect(await search('礼品卡充值')).not.toContainEqual(expect.objectContaining({ slug: 'gift-cards' }));

    const base = `/api/agent/help/articles/${article.id}/locales/zh-CN`;
    expect((await writer.client.post(`${base}/submit`)).status).toBe(200);
    // Four eyes: the author cannot publish their own text.
    const own = await writer.client.post(`${base}/publish`);
    expect(own.status).toBe(403);
    expect((own.body as { error: { code: string } }).error.code).toBe('help_reviewer_is_author');

    // Published and indexed in one transaction: the very next search finds it (bench:help times it).
    expect((await reviewer.client.post(`${base}/publish`)).status).toBe(200);
    const found = await search('礼品卡充值');
    expect(found[0]).toMatchObject({ slug: 'gift-cards', title: '可以用礼品卡充值吗？' });
    const page = await runtime.app.inject({ method: 'GET', url: '/api/help/articles/gift-cards?locale=zh-CN' });
    expect(page.json().html).toContain('400-000-0000');
  });

  it('finds an edit published on one node within a second on another, and no longer the words it replaced', async () => {
    const other = await startTestRuntime({ databaseUrl: runtime.databaseUrl });
    try {
      const searchOn = async (node: Runtime, q: string) =>
        (await node.app.inject({ method: 'GET', url: `/api/help/search?q=${encodeURIComponent(q)}&locale=en` })).json().results as Array<{
          slug: string;
          snippet: string;
        }>;
      expect((await searchOn(other, 'exchange rate'))[0]).toBeDefined();
      const list = (await writer.client.get('/api/agent/help/articles')).body as { articles: Array<{ id: string; slug: string }> };
      const id = list.articles.find((article) => article.slug === 'top-up-failed')?.id;
      const en = `/api/agent/help/articles/${id}/locales/en`;
      const state = (await writer.client.get(`/api/agent/help/articles/${id}`)).body as {
        locales: Array<{ locale: string; published: { version: number; title: string } }>;
      };
      const published = state.locales.find((entry) => entry.locale === 'en')?.published;
      for (const word of ['zorblewidget', 'quixotrance']) {
        const saved = await writer.client.put(`${en}/draft`, {
          title: published?.title,
          summary: '',
          body: `A paragraph about ${word}.`,
          keywords: [],
          baseVersion: (await writer.client.get(`/api/agent/help/articles/${id}`)).body.locales.find(
            (entry: { locale: string }) => entry.locale === 'en',
          ).published.version,
        });
        expect(saved.status).toBe(200);
        await writer.client.post(`${en}/submit`);
        expect((await reviewer.client.post(`${en}/publish`)).status).toBe(200);
        // Another node reads the index's revision at least four times a second (this one at once).
        const publishedAt = Date.now();
        let found = await searchOn(other, word);
        while (found.length === 0 && Date.now() - publishedAt < 1000) found = await searchOn(other, word);
        expect(found[0]).toMatchObject({ slug: 'top-up-failed' });
        expect(found[0]?.snippet).toContain(`<mark>${word}</mark>`);
      }
      expect(await searchOn(other, 'zorblewidget')).toEqual([]);
      expect(await searchOn(runtime, 'zorblewidget')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('keeps every version, restores an old one as a draft and marks the translation outdated when the source changes', async () => {
    const list = (await writer.client.get('/api/agent/help/articles')).body as { articles: Array<{ id: string; slug: string }> };
    const id = list.articles.find((article) => article.slug === 'forgot-password')?.id;
    const zh = `/api/agent/help/articles/${id}/locales/zh-CN`;
    const before = (await writer.client.get(`/api/agent/help/articles/${id}`)).body as {
      locales: Array<{ locale: string; published: { version: number; body: string }; isOutdated: boolean }>;
    };
    expect(before.locales.find((state) => state.locale === 'en')?.isOutdated).toBe(false);
    const published = before.locales.find((state) => state.locale === 'zh-CN')?.published;
    const saved = await writer.client.put(`${zh}/draft`, {
      title: '忘记密码怎么找回？',
      summary: '',
      body: `${published?.body}\n\n如果邮箱也无法使用，请联系在线客服。`,
      keywords: ['忘记密码'],
      baseVersion: published?.version,
    });
    expect(saved.status).toBe(200);
    // Someone else saving from the same starting point is told to reload, not silently overwritten.
    const stale = await writer.client.put(`${zh}/draft`, {
      title: '另一个标题',
      summary: '',
      body: 'x',
      keywords: [],
      baseVersion: published?.version,
    });
    expect(stale.status).toBe(409);
    await writer.client.post(`${zh}/submit`);
    expect((await reviewer.client.post(`${zh}/publish`)).status).toBe(200);

    const after = (await writer.client.get(`/api/agent/help/articles/${id}`)).body as {
      locales: Array<{ locale: string; isOutdated: boolean }>;
    };
    expect(after.locales.find((state) => state.locale === 'en')?.isOutdated).toBe(true);

    const versions = (await writer.client.get(`/api/agent/help/articles/${id}/versions`)).body as {
      versions: Array<{ locale: string; version: number; status: string; authorName: string | null; reviewerName: string | null }>;
    };
    const zhVersions = versions.versions.filter((version) => version.locale === 'zh-CN');
    expect(zhVersions[0]).toMatchObject({ status: 'published', authorName: '陈编辑', reviewerName: '王审核' });
    expect(zhVersions.at(-1)).toMatchObject({ version: 1, status: 'superseded' });

    const restored = await writer.client.post(`${zh}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'draft', body: published?.body });
  });

  it('refuses placeholders that do not exist and lets agents read but not edit', async () => {
    const bad = await writer.client.post('/api/agent/help/articles', {
      slug: 'bad-facts',
      category: 'contact',
      locale: 'en',
      title: 'Bad facts',
      body: 'Call {{contact.fax}}',
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string; message: string } }).error.code).toBe('help_unknown_facts');
    expect((await agent.client.get('/api/agent/help/articles')).status).toBe(200);
    expect(
      (await agent.client.post('/api/agent/help/articles', { slug: 'x-y', category: 'contact', locale: 'en', title: 'Nope', body: 'x' }))
        .status,
    ).toBe(403);
  });

  it('previews Markdown as the page will show it, sanitised', async () => {
    const preview = await writer.client.post('/api/agent/help/preview', {
      locale: 'en',
      body: '1. Call {{contact.phone}}\n\n<img src=x onerror=alert(1)>\n\n{{nope}}',
    });
    expect(preview.body).toMatchObject({ problems: ['{{nope}}'] });
    expect((preview.body as { html: string }).html).toContain('400-000-0000');
    expect((preview.body as { html: string }).html).not.toContain('onerror');
  });

  it("turns an agent's answer in a conversation into a draft article for review", async () => {
    const conversation = await runtime.deps.pool.query<{ id: string }>(
      `INSERT INTO conversations (visitor_id, channel, status, category, locale) VALUES (gen_random_uuid(), 'chat', 'open', 'top_up', 'zh-CN') RETURNING id`,
    );
    const conversationId = conversation.rows[0]?.id;
    await runtime.deps.pool.query(
      `INSERT INTO messages (conversation_id, seq, author_type, body) VALUES ($1, 1, 'visitor', '用信用卡充值有手续费吗？')`,
      [conversationId],
    );
    const answer = await runtime.deps.pool.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, seq, author_type, author_id, author_name, body) VALUES ($1, 2, 'agent', $2, '李客服', '充值不收手续费；发卡银行是否收费请咨询银行。') RETURNING id`,
      [conversationId, agent.id],
    );
    const drafted = await agent.client.post(`/api/agent/conversations/${conversationId}/messages/${answer.rows[0]?.id}/help-draft`, {});
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({
      category: 'top_up_cards',
      sourceLocale: 'zh-CN',
      locales: expect.arrayContaining([
        expect.objectContaining({
          locale: 'zh-CN',
          published: null,
          pending: expect.objectContaining({
            status: 'draft',
            origin: 'conversation',
            title: '用信用卡充值有手续费吗？',
            body: '充值不收手续费；发卡银行是否收费请咨询银行。',
          }),
        }),
      ]),
    });
  });

  it('stores article images and serves them under /help/images', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const boundary = '----okpay';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await runtime.app.inject({
      method: 'POST',
      url: '/api/agent/help/images',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${writer.token}` },
    });
    expect(upload.statusCode).toBe(201);
    const { url, markdown } = upload.json() as { url: string; markdown: string };
    expect(markdown).toBe(`![](${url})`);
    const image = await runtime.app.inject({ method: 'GET', url });
    expect(image.headers['content-type']).toBe('image/png');
  });
});
