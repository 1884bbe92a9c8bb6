import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locale } from '@okpay/contracts';
import { createStaffMember } from '../identity/index.js';
import { loadConfig } from '../platform/config.js';
import { connectDatabase } from '../platform/db/client.js';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/db/embedded-postgres.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import { withTransaction } from '../platform/db/transaction.js';
import { createLogger } from '../platform/logger.js';
import { startRuntime } from '../runtime.js';
import { publishVersion, saveDraft, submitForReview } from '../support/help-centre/edit-articles.js';
import { insertArticle, insertVersion, recountTerms } from '../support/help-centre/help-centre.repository.js';
import { resolveHelpFacts } from '../support/help-centre/help-facts.js';
import { defaultContentDir, importHelpContent, readContentFiles } from '../support/help-centre/import-help-content.js';
import { indexPublishedVersion } from '../support/help-centre/index-article.js';
import { evaluationQueries } from '../support/help-centre/search/evaluation-queries.js';
import { intlSegmenter, jiebaSegmenter, pinyinOf, type Segmenter } from '../support/help-centre/search/search-text.js';
import { searchHelp } from '../support/help-centre/search-help.js';
import { buildHours, noStoredHours } from '../support/hours/support-hours.js';
import { machine, measure, percentile, printTable, type Sample, writeResults } from './harness.js';

/**
 * bench:help: help-centre search over HTTP (GET /api/help/search through the whole server: routing,
 * validation, the per-address rate limit in PostgreSQL, segmentation, ranking) on the 37 shipped
 * articles per language plus 10,000 synthetic ones, at 1, 8 and 32 concurrent clients; then how long
 * an edited article takes to be found by search; then recall@3 of both segmenters on the evaluation set.
 */
const synthetic = Number(process.env.BENCH_ARTICLES ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);

/** Realistic text: sentences of the real articles recombined, with product words, 600–2,400 characters. */
function syntheticBody(sentences: string[], random: () => number, targetLength: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < targetLength) {
    const sentence = sentences[Math.floor(random() * sentences.length)] ?? '';
    parts.push(sentence);
    length += sentence.length;
    if (random() < 0.15) parts.push('\n\n');
  }
  return parts.join(' ');
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function seedSynthetic(db: ReturnType<typeof connectDatabase>['db'], config: ReturnType<typeof loadConfig>): Promise<number> {
  const files = await readContentFiles(defaultContentDir);
  const random = seeded(42);
  const started = performance.now();
  for (const locale of ['zh-CN', 'en'] as Locale[]) {
    const own = files.filter((file) => file.locale === locale);
    const sentences = own
      .flatMap((file) => file.body.replace(/<svg[\s\S]*?<\/svg>/g, '').split(/(?<=[。！？.!?])\s*/u))
      .filter((part) => part.length > 8);
    const titles = own.map((file) => file.title);
    const facts = resolveHelpFacts(config, locale, buildHours(noStoredHours), 48);
    const count = Math.floor(synthetic / 2);
    for (let start = 0; start < count; start += 250) {
      await withTransaction(db.$client, async (tx) => {
        for (let index = start; index < Math.min(count, start + 250); index += 1) {
          const slug = `bench-${locale === 'en' ? 'en' : 'zh'}-${index}`;
          const article = await insertArticle(tx, { slug, category: 'contact', sourceLocale: locale, position: 1000 });
          const title = `${titles[Math.floor(random() * titles.length)]} ${index}`;
          const version = await insertVersion(tx, {
            articleId: article.id,
            locale,
            status: 'published',
            title,
            summary: '',
            body: syntheticBody(sentences, random, 600 + Math.floor(random() * 1800)),
            keywords: [],
            origin: 'staff',
            publishedAt: new Date(),
          });
          await indexPublishedVersion(tx, { article, version, facts, skipTermCounts: true });
        }
      });
    }
    await recountTerms(db, locale, pinyinOf);
  }
  return (performance.now() - started) / 1000;
}

async function recallOf(url: string, config: ReturnType<typeof loadConfig>, segmenter: Segmenter): Promise<number> {
  const database = connectDatabase(url, 4, 'okpay-bench');
  try {
    await importHelpContent({ db: database.db, config, logger: createLogger('silent') }, { segmenter });
    let found = 0;
    for (const query of evaluationQueries) {
      const results = await searchHelp({ db: database.db, config }, { q: query.q, locale: query.locale, limit: 3, segmenter });
      if (results.some((result) => result.slug === query.expected)) found += 1;
    }
    return found / evaluationQueries.length;
  } finally {
    await database.close();
  }
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-help-'));
  const cluster = await startEmbeddedPostgres({ dataDir, durable: true, maxConnections: 150 });
  const urlOf = (name: string) => cluster.urlFor(name);
  try {
    await ensureDatabase(urlOf('postgres'), 'okpay');
    await migrateDatabase(urlOf('okpay'));
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: urlOf('okpay'),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: 'http://127.0.0.1',
      // One load generator is one address; the real per-address limit stays in the request path.
      HELP_SEARCH_RATE_LIMIT_PER_MINUTE: '100000000',
      DATABASE_POOL_SIZE: '40',
    });
    const seedDatabase = connectDatabase(urlOf('okpay'), 4, 'okpay-bench');
    await importHelpContent({ db: seedDatabase.db, config, logger: createLogger('silent') });
    const seedSeconds = await seedSynthetic(seedDatabase.db, config);
    const indexed = await seedDatabase.pool.query<{ locale: string; count: number }>(
      'SELECT locale, count(*)::int AS count FROM help_search_index GROUP BY 1 ORDER BY 1',
    );
    await seedDatabase.pool.query('VACUUM ANALYZE');
    await seedDatabase.close();
    console.log(`seeded ${indexed.rows.map((row) => `${row.count} ${row.locale}`).join(' + ')} articles in ${seedSeconds.toFixed(1)} s`);

    const runtime = await startRuntime(config, createLogger('warn'));
    await runtime.app.listen({ host: '127.0.0.1', port: 0 });
    const address = runtime.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const queries = evaluationQueries.map(
      (query) => `${base}/api/help/search?q=${encodeURIComponent(query.q)}&locale=${query.locale}&limit=5`,
    );
    const search = async (worker: number, iteration: number) => {
      const response = await fetch(queries[(worker * 7 + iteration) % queries.length] ?? base);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      await response.arrayBuffer();
    };
    // Warm-up: dictionaries, prepared statements, caches.
    await measure('warm-up', 4, 2, search);
    const samples: Sample[] = [];
    const useCase = async (worker: number, iteration: number) => {
      const query = evaluationQueries[(worker * 7 + iteration) % evaluationQueries.length];
      if (query) await searchHelp(runtime.deps, { q: query.q, locale: query.locale, limit: 5 });
    };
    for (const concurrency of levels) samples.push(await measure('search use case', concurrency, seconds, useCase));
    for (const concurrency of levels) samples.push(await measure('search over HTTP', concurrency, seconds, search));
    printTable(
      `bench:help on ${machine().cpus} cores (${machine().cpuModel}), ${indexed.rows.reduce((sum, row) => sum + row.count, 0)} articles, ${seconds} s per row`,
      samples,
    );

    // Index refresh: an editor saves, another publishes; how long until search over HTTP finds the new word.
    const writer = await createStaffMember(
      runtime.deps,
      { email: 'writer@bench.local', displayName: 'writer', role: 'editor', password: 'Bench-Password-2026' },
      { type: 'system' },
    );
    const reviewer = await createStaffMember(
      runtime.deps,
      { email: 'reviewer@bench.local', displayName: 'reviewer', role: 'admin', password: 'Bench-Password-2026' },
      { type: 'system' },
    );
    const article = await runtime.deps.pool.query<{ id: string }>("SELECT id FROM help_articles WHERE slug = 'top-up-failed'");
    const articleId = article.rows[0]?.id ?? '';
    const refresh: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      const word = `bench${round}${randomBytes(3).toString('hex')}`;
      const latest = await runtime.deps.pool.query<{ version: number }>(
        "SELECT max(version)::int AS version FROM help_article_versions WHERE article_id = $1 AND locale = 'en'",
        [articleId],
      );
      const started = performance.now();
      await saveDraft(runtime.deps, { staffId: writer.id, role: 'editor' }, articleId, 'en', {
        title: 'My top-up failed',
        summary: '',
        body: `A new paragraph with ${word}.`,
        keywords: [],
        baseVersion: latest.rows[0]?.version ?? 0,
      });
      await submitForReview(runtime.deps, articleId, 'en');
      await publishVersion(runtime.deps, { staffId: reviewer.id, role: 'admin' }, articleId, 'en');
      for (;;) {
        const answer = (await (await fetch(`${base}/api/help/search?q=${word}&locale=en`)).json()) as { results: Array<{ slug: string }> };
        if (answer.results[0]?.slug === 'top-up-failed') break;
        if (performance.now() - started > 10_000) throw new Error('an edit was not found within 10 s');
      }
      refresh.push(performance.now() - started);
    }
    refresh.sort((a, b) => a - b);
    const refreshSummary = {
      rounds: refresh.length,
      p50Ms: Number(percentile(refresh, 0.5).toFixed(1)),
      maxMs: Number((refresh.at(-1) ?? 0).toFixed(1)),
    };
    console.log(
      `\nindex refresh (save, review, publish, then found by search over HTTP): p50 ${refreshSummary.p50Ms} ms, max ${refreshSummary.maxMs} ms over ${refresh.length} edits`,
    );
    await runtime.close();

    // Which segmenter: recall@3 on the evaluation set, each with the shipped articles indexed its own way.
    const recall: Record<string, number> = {};
    for (const segmenter of [jiebaSegmenter, intlSegmenter]) {
      const name = `okpay_recall_${segmenter.name}`;
      await ensureDatabase(urlOf('postgres'), name);
      await migrateDatabase(urlOf(name));
      recall[segmenter.name] = Number((await recallOf(urlOf(name), config, segmenter)).toFixed(3));
    }
    console.log(`\nrecall@3 on ${evaluationQueries.length} evaluation queries: jieba ${recall.jieba}, Intl.Segmenter ${recall.intl}`);

    const file = await writeResults('help', {
      machine: machine(),
      articles: Object.fromEntries(indexed.rows.map((row) => [row.locale, row.count])),
      seedSeconds: Number(seedSeconds.toFixed(1)),
      transport: 'HTTP (fetch, keep-alive) against the whole server on the same machine',
      search: samples,
      indexRefresh: refreshSummary,
      recallAt3: recall,
    });
    console.log(`\nwritten to ${file}`);
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
