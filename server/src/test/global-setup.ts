import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { TestProject } from 'vitest/node';
import {
  connectDatabase,
  createLogger,
  type EmbeddedCluster,
  loadConfig,
  migrateDatabase,
  startEmbeddedPostgres,
} from '../platform/index.js';
import { importHelpContent } from '../support/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

const templateDatabase = 'okpay_test_template';

/**
 * One PostgreSQL for the whole run: the embedded cluster (or TEST_DATABASE_URL's server) holds a
 * migrated template database, and every test file clones its own database from it.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-test-'));
    cluster = await startEmbeddedPostgres({ dataDir, durable: false, maxConnections: 500 });
    adminUrl = cluster.urlFor('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await admin.end();
  const templateUrl = withDatabase(adminUrl, templateDatabase);
  await migrateDatabase(templateUrl);
  // pg-boss installs its schema on first start; doing it once here spares every test file.
  const template = new pg.Client({ connectionString: templateUrl });
  await template.connect();
  await template.query(PgBoss.getConstructionPlans('pgboss'));
  await template.end();
  // The shipped help articles once here, so a node starting on a cloned database finds them imported.
  const help = connectDatabase(templateUrl, 2);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: templateUrl, SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789' });
  await importHelpContent({ db: help.db, config, logger: createLogger('silent') });
  await help.close();

  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await cluster?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
