import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './global-setup.js';

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `okpay_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

/**
 * The database, its statements counted: those sent through its pool and through the clients the
 * pool lends (transactions). Drizzle's own queries on the database object keep the real pool.
 */
export function countingDatabase<D extends { $client: pg.Pool }>(db: D): { db: D; statements(): number; reset(): void } {
  let statements = 0;
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (property === 'query')
          return (...args: unknown[]) => {
            statements += 1;
            return (value as (...queryArgs: unknown[]) => unknown).apply(object, args);
          };
        if (property === 'connect') return async () => counted(await (value as () => Promise<pg.PoolClient>).apply(object));
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  return {
    db: Object.assign(Object.create(db) as D, { $client: counted(db.$client) }),
    statements: () => statements,
    reset: () => {
      statements = 0;
    },
  };
}
