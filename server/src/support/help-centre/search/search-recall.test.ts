import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, createLogger, type DatabaseHandle, loadConfig } from '../../../platform/index.js';
import { createTestDatabase } from '../../../test/database.js';
import { importHelpContent } from '../import-help-content.js';
import { searchHelp } from '../search-help.js';
import { evaluationQueries } from './evaluation-queries.js';

let database: DatabaseHandle;
const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://unused/okpay' });

beforeAll(async () => {
  database = connectDatabase(await createTestDatabase(), 4);
  await importHelpContent({ db: database.db, config, logger: createLogger('silent') });
});

afterAll(async () => {
  await database.close();
});

describe('help search on the evaluation set', () => {
  it('has at least 100 colloquial, misspelt, traditional and English queries', () => {
    expect(evaluationQueries.length).toBeGreaterThanOrEqual(100);
    expect(new Set(evaluationQueries.map((query) => query.kind))).toEqual(new Set(['plain', 'colloquial', 'typo', 'traditional']));
  });

  it('finds the expected article in the first three results for at least 90% of queries', async () => {
    const misses: string[] = [];
    const byKind = new Map<string, { found: number; total: number }>();
    for (const query of evaluationQueries) {
      const results = await searchHelp({ db: database.db, config }, { q: query.q, locale: query.locale, limit: 3 });
      const found = results.some((result) => result.slug === query.expected);
      const tally = byKind.get(query.kind) ?? { found: 0, total: 0 };
      byKind.set(query.kind, { found: tally.found + (found ? 1 : 0), total: tally.total + 1 });
      if (!found)
        misses.push(`${query.q} → ${results.map((result) => result.slug).join(', ') || '(nothing)'} (expected ${query.expected})`);
    }
    const recall = (evaluationQueries.length - misses.length) / evaluationQueries.length;
    console.info(
      `recall@3 ${recall.toFixed(3)} over ${evaluationQueries.length} queries; ${Array.from(byKind, ([kind, tally]) => `${kind} ${tally.found}/${tally.total}`).join(', ')}`,
    );
    if (misses.length > 0) console.info(`missed:\n  ${misses.join('\n  ')}`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
