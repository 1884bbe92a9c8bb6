import type pg from 'pg';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Jobs } from './jobs.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail/mailer.js';

/** What use cases may touch. Everything with I/O or time comes in here, so tests can swap it. */
export type Deps = {
  config: Config;
  db: Database;
  pool: pg.Pool;
  clock: Clock;
  mailer: Mailer;
  jobs: Jobs;
  logger: Logger;
};
