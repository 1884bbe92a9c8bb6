import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaffMember } from '../identity/index.js';
import { loadConfig } from '../platform/config.js';
import { connectDatabase } from '../platform/db/client.js';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/db/embedded-postgres.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import { createLogger } from '../platform/logger.js';
import { startRuntime } from '../runtime.js';
import { publishVersion, saveDraft, submitForReview } from '../support/help-centre/edit-articles.js';
import { importHelpContent } from '../support/help-centre/import-help-content.js';
import { evaluationQueries } from '../support/help-centre/search/evaluation-queries.js';
import { intlSegmenter, jiebaSegmenter, type Segmenter } from '../support/help-centre/search/search-text.js';
import { searchHelp } from '../support/help-centre/search-help.js';
import { cpuCalibrationMs, cpuSeconds, machine, measure, percentile, printMarkdownTable, type Sample, writeResults } from './harness.js';
import { seedSyntheticArticles } from './help-seed.js';

/**
 * bench:help: help-centre search, in process (the use case) and over HTTP (GET /api/help/search
 * through the whole server: routing, validation, the per-address rate limit, segmentation, ranking,
 * snippets) on the shipped articles plus BENCH_ARTICLES synthetic ones (default 10,000), at 1, 8 and
 * 32 concurrent clients (BENCH_CLIENTS), with the CPU each search costs in Node and in PostgreSQL and
 * the machine's load average; then how long an edited article takes to be found by search on another
 * node; then recall@3 of both segmenters on the evaluation set.
 */
const synthetic = Number(process.env.BENCH_ARTICLES ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);

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
    const configFor = () =>
      loadConfig({
        NODE_ENV: 'development',
        DATABASE_URL: urlOf('okpay'),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'http://127.0.0.1',
        // One load generator is one address; the real per-address limit stays in the request path.
        HELP_SEARCH_RATE_LIMIT_PER_MINUTE: '100000000',
        DATABASE_POOL_SIZE: '40',
      });
    const config = configFor();
    const seedDatabase = connectDatabase(urlOf('okpay'), 4, 'okpay-bench');
    await importHelpContent({ db: seedDatabase.db, config, logger: createLogger('silent') });
    const seedSeconds = await seedSyntheticArticles(urlOf('okpay'), config, synthetic);
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
    /** HTTP load from a child process, so this process's CPU is the server's alone. */
    const loadFromChild = (concurrency: number) =>
      new Promise<{ sample: Sample; cpuMs: number }>((resolve, reject) => {
        const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'help-load.js'), [], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        child.once('message', (answer) => resolve(answer as { sample: Sample; cpuMs: number }));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load process exited with ${code}`))));
        child.send({ urls: queries, concurrency, seconds });
      });
    // Warm-up: dictionaries, prepared statements, caches.
    await measure('warm-up', 4, 2, search);
    const useCase = async (worker: number, iteration: number) => {
      const query = evaluationQueries[(worker * 7 + iteration) % evaluationQueries.length];
      if (query) await searchHelp(runtime.deps, { q: query.q, locale: query.locale, limit: 5 });
    };
    const pgPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const calibrationMs = cpuCalibrationMs();
    const loadBefore = os.loadavg();
    console.log(
      `CPU calibration: ${calibrationMs} ms for a fixed loop (lower is a faster, quieter host); load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`,
    );
    // What the server and PostgreSQL spend with no search at all (job queue, event dispatch, timers), per second.
    const idleSeconds = 4;
    const idleNode = process.cpuUsage();
    const idlePostgres = cpuSeconds(pgPid, true);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const idleUsage = process.cpuUsage(idleNode);
    const idle = {
      serverCpuMsPerSecond: Number(((idleUsage.user + idleUsage.system) / 1000 / idleSeconds).toFixed(1)),
      postgresCpuMsPerSecond: Number((((cpuSeconds(pgPid, true) - idlePostgres) * 1000) / idleSeconds).toFixed(1)),
    };
    console.log(`idle: server ${idle.serverCpuMsPerSecond} ms CPU per second, PostgreSQL ${idle.postgresCpuMsPerSecond} ms`);
    type Row = Sample & {
      nodeCpuMsPerSearch: number;
      nodeNetCpuMsPerSearch: number;
      postgresCpuMsPerSearch: number;
      loadCpuMsPerSearch: number;
      loadAverage1m: number;
    };
    const rows: Row[] = [];
    const run = async (scenario: string, concurrency: number, operation?: (worker: number, iteration: number) => Promise<void>) => {
      const node = process.cpuUsage();
      const postgres = cpuSeconds(pgPid, true);
      const { sample, cpuMs: loadCpuMs } = operation
        ? { sample: await measure(scenario, concurrency, seconds, operation), cpuMs: 0 }
        : await loadFromChild(concurrency);
      const nodeUsage = process.cpuUsage(node);
      const perSearch = (cpuMs: number) => Number((cpuMs / Math.max(1, sample.operations)).toFixed(3));
      rows.push({
        ...sample,
        scenario,
        // In process, the callers are part of this process; over HTTP they are the child's, counted apart.
        nodeCpuMsPerSearch: perSearch((nodeUsage.user + nodeUsage.system) / 1000),
        nodeNetCpuMsPerSearch: perSearch(
          Math.max(0, (nodeUsage.user + nodeUsage.system) / 1000 - idle.serverCpuMsPerSecond * sample.seconds),
        ),
        postgresCpuMsPerSearch: perSearch((cpuSeconds(pgPid, true) - postgres) * 1000),
        loadCpuMsPerSearch: perSearch(loadCpuMs),
        loadAverage1m: Number((os.loadavg()[0] ?? 0).toFixed(2)),
      });
    };
    for (const concurrency of levels) await run('use case', concurrency, useCase);
    for (const concurrency of levels) await run('HTTP', concurrency);
    const articleCount = indexed.rows.reduce((sum, row) => sum + row.count, 0);
    printMarkdownTable(
      `bench:help on ${machine().cpus} cores (${machine().cpuModel}), ${articleCount} articles, ${seconds} s per row`,
      [
        'scenario',
        'clients',
        'searches/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'errors',
        'CPU ms/search: server',
        'server less idle',
        'PostgreSQL',
        'HTTP client',
        'load avg 1 min',
      ],
      rows.map((row) => [
        row.scenario,
        row.concurrency,
        row.perSecond,
        row.p50Ms,
        row.p95Ms,
        row.p99Ms,
        row.errors,
        row.nodeCpuMsPerSearch,
        row.nodeNetCpuMsPerSearch,
        row.postgresCpuMsPerSearch,
        row.scenario === 'HTTP' ? row.loadCpuMsPerSearch : '—',
        row.loadAverage1m,
      ]),
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
    // Edits are published on this node and searched for over HTTP on a second node with its own index.
    const other = await startRuntime(configFor(), createLogger('warn'));
    await other.app.listen({ host: '127.0.0.1', port: 0 });
    const otherAddress = other.app.server.address();
    const otherBase = `http://127.0.0.1:${typeof otherAddress === 'object' && otherAddress ? otherAddress.port : 0}`;
    await fetch(`${otherBase}/api/help/search?q=warm&locale=en`);
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
        const answer = (await (await fetch(`${otherBase}/api/help/search?q=${word}&locale=en`)).json()) as {
          results: Array<{ slug: string }>;
        };
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
      `\nindex refresh (save, review, publish on one node, then found by search over HTTP on another): p50 ${refreshSummary.p50Ms} ms, max ${refreshSummary.maxMs} ms over ${refresh.length} edits`,
    );
    await other.close();
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
      transport: 'HTTP (keep-alive, from a separate process) against the whole server on the same machine',
      cpuCalibrationMs: calibrationMs,
      idleCpu: idle,
      loadAverage: {
        before: loadBefore.map((value) => Number(value.toFixed(2))),
        after: os.loadavg().map((value) => Number(value.toFixed(2))),
      },
      search: rows,
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
