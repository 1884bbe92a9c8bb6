import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../../platform/index.js';
import { createTestDatabase } from '../../../test/database.js';
import { titleTrigrams } from './memory-index.js';
import { normaliseTitle } from './search-text.js';

let database: DatabaseHandle;

beforeAll(async () => {
  database = connectDatabase(await createTestDatabase(), 2);
});

afterAll(async () => {
  await database.close();
});

const similarity = (left: string, right: string) => {
  const a = titleTrigrams(left);
  const b = new Set(titleTrigrams(right));
  const common = a.filter((trigram) => b.has(trigram)).length;
  return a.length + b.size === 0 ? 0 : common / (a.length + b.size - common);
};

describe('title similarity in memory', () => {
  it('scores every pair of titles as pg_trgm does in the database', async () => {
    const titles = [
      '充值失败怎么办？',
      '充值失败',
      '帳戶被凍結了',
      '账户被冻结怎么办',
      'My top-up failed',
      'top up failed 42',
      'How do I reset my password?',
      'pasword reset',
      '忘记密码 password 2',
      'a',
    ].map(normaliseTitle);
    const pairs = titles.flatMap((left) => titles.map((right) => [left, right] as const));
    const result = await database.pool.query<{ value: number }>(
      'SELECT similarity(l, r)::float8 AS value FROM unnest($1::text[], $2::text[]) AS p(l, r)',
      [pairs.map(([left]) => left), pairs.map(([, right]) => right)],
    );
    const inMemory = pairs.map(([left, right]) => Number(similarity(left, right).toFixed(4)));
    expect(inMemory).toEqual(result.rows.map((row) => Number(row.value.toFixed(4))));
    expect(inMemory.some((value) => value > 0 && value < 1)).toBe(true);
  });
});
