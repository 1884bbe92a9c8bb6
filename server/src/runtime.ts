import { buildApp } from './app.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { connectDatabase } from './platform/db/client.js';
import { migrateDatabase } from './platform/db/migrate.js';
import { openDatabaseUrl } from './platform/db/open-database.js';
import { createEventDispatcher, type EventDispatcher } from './platform/event-dispatcher.js';
import type { App } from './platform/http/types.js';
import { startJobs } from './platform/jobs.js';
import type { Logger } from './platform/logger.js';
import { createDevMailboxTransport, createQueuedMailer, createSmtpTransport, startMailWorker } from './platform/mail/mailer.js';
import { expiredRateLimits, scheduleMaintenance } from './platform/maintenance.js';
import { loadSharedSecrets } from './platform/shared-secrets.js';
import {
  type EmailChannel,
  importHelpContent,
  inboundEmailRetention,
  markIdleAgentsAway,
  type Realtime,
  relayNotifier,
  routeWaiting,
  type SupportDeps,
  startEmailChannel,
  startRealtime,
  subscribeSupport,
  warmUpHelpCentre,
} from './support/index.js';
import { pruneIdempotencyKeys } from './wallet/index.js';
import { scheduleTopUpReconciliation } from './wallet/top-ups/top-ups.jobs.js';

export type Runtime = {
  deps: SupportDeps;
  app: App;
  realtime: Realtime;
  /** The outbox's dispatcher on this node (tests drain it). */
  events: EventDispatcher;
  email: EmailChannel;
  databaseUrl: string;
  close(): Promise<void>;
};

export type RuntimeOptions = { clock?: Clock; webRoot?: string; jobPollingSeconds?: number };

/**
 * Every minute, on one node: idle agents become away, and anything still waiting is routed again
 * (a safety net for a node that stopped between queueing and routing).
 */
async function scheduleSupportSweep(deps: SupportDeps): Promise<void> {
  const queue = 'support.sweep';
  await deps.jobs.work<Record<string, never>>(queue, async () => {
    await markIdleAgentsAway(deps, deps.config.support);
    await routeWaiting(deps);
  });
  await deps.jobs.schedule(queue, '* * * * *');
}

/** Everything one OKPay node runs: database, migrations, jobs, mail and the HTTP app. */
export async function startRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const { url, cluster } = await openDatabaseUrl(config, logger);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  if (cluster) closers.push(() => cluster.stop());
  try {
    await migrateDatabase(url);
    const database = connectDatabase(url, config.databasePoolSize, 'okpay', logger);
    closers.push(() => database.close());
    await loadSharedSecrets(config, database.pool);
    const jobs = await startJobs({ url, logger, pollingIntervalSeconds: options.jobPollingSeconds });
    closers.push(() => jobs.stop());
    const useDevMailbox = !config.smtpUrl;
    if (useDevMailbox && config.isProduction) throw new Error('SMTP_URL is required when NODE_ENV=production');
    const transport = config.smtpUrl ? createSmtpTransport(config.smtpUrl, config.mailFrom) : createDevMailboxTransport(database.db);
    closers.push(async () => transport.close());
    await startMailWorker(jobs, transport);
    const deps: SupportDeps = {
      config,
      db: database.db,
      pool: database.pool,
      clock: options.clock ?? systemClock,
      mailer: createQueuedMailer(jobs),
      jobs,
      logger,
      notifier: relayNotifier(),
    };
    const help = await importHelpContent(deps);
    if (help.published + help.drafted > 0) logger.info(help, 'imported help-centre articles');
    setImmediate(warmUpHelpCentre);
    const events = createEventDispatcher(deps);
    closers.push(() => events.stop());
    subscribeSupport(events, deps);
    await scheduleTopUpReconciliation(deps);
    await scheduleSupportSweep(deps);
    await scheduleMaintenance(deps, [
      expiredRateLimits,
      // Idempotency keys are kept 48 hours, twice the 24 promised.
      { name: 'idempotency-keys', run: (pool) => pruneIdempotencyKeys(pool, 48) },
      inboundEmailRetention(config.email.rawRetentionDays),
    ]);
    const email = await startEmailChannel(deps, transport);
    closers.push(() => email.close());
    const app = await buildApp(deps, { webRoot: options.webRoot, devMailbox: useDevMailbox });
    closers.push(() => app.close());
    const realtime = await startRealtime(app.server, deps, { databaseUrl: url });
    closers.push(() => realtime.close());
    await app.ready();
    events.registerMetrics(app.metrics.registry);
    events.start();
    return { deps, app, realtime, events, email, databaseUrl: url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
