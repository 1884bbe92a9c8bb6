import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { importHelpContent } from './import-help-content.js';

let runtime: Runtime;
let dir: string;

const slug = 'import-check-article';

async function writeArticle(locale: 'zh-CN' | 'en', title: string, body: string) {
  await mkdir(path.join(dir, locale), { recursive: true });
  await writeFile(
    path.join(dir, locale, `${slug}.md`),
    `---\nslug: ${slug}\ncategory: account\ntitle: ${title}\nsummary: ${title}\n---\n${body}\n`,
  );
}

async function article(locale: 'zh-CN' | 'en') {
  const response = await runtime.app.inject({ method: 'GET', url: `/api/help/articles/${slug}?locale=${locale}` });
  expect(response.statusCode).toBe(200);
  return response.json() as { title: string; html: string };
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  dir = await mkdtemp(path.join(os.tmpdir(), 'okpay-help-files-'));
  await writeArticle('zh-CN', '导入检查', '第一版正文。');
  await writeArticle('en', 'Import check', 'First text.');
});

afterAll(async () => {
  await runtime?.close();
});

describe('importing the help articles shipped as files', () => {
  it('publishes new files, finds nothing to do when no file changed, and takes only the file that did', async () => {
    expect(await importHelpContent(runtime.deps, { dir })).toEqual({ published: 2, drafted: 0, kept: 0, unchanged: 0 });
    expect(await importHelpContent(runtime.deps, { dir })).toEqual({ published: 0, drafted: 0, kept: 0, unchanged: 2 });

    await writeArticle('en', 'Import check, second edition', 'Second text.');
    expect(await importHelpContent(runtime.deps, { dir })).toEqual({ published: 1, drafted: 0, kept: 0, unchanged: 1 });
    expect(await article('en')).toMatchObject({ title: 'Import check, second edition' });
    expect((await article('en')).html).toContain('Second text.');
    expect(await article('zh-CN')).toMatchObject({ title: '导入检查' });

    expect(await importHelpContent(runtime.deps, { dir })).toEqual({ published: 0, drafted: 0, kept: 0, unchanged: 2 });
  });
});
