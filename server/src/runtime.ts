import { buildApp } from './app.js';
import type { App, Config, Database, EventDispatcher, Logger } from './platform/index.js';
import {
  type Clock,
  connectDatabase,
  createDevMailboxTransport,
  createEventDispatcher,
  createQueuedMailer,
  createSmtpTransport,
  expiredRateLimits,
  loadSharedSecrets,
  migrateDatabase,
  type OpenedDatabase,
  openDatabaseUrl,
  registerGroupCommitMetrics,
  scheduleMaintenance,
  startJobs,
  startMailWorker,
  systemClock,
} from './platform/index.js';
import {
  type EmailChannel,
  importHelpContent,
  inboundEmailRetention,
  markIdleAgentsAway,
  messageWriter,
  pushDeliveryRetention,
  type Realtime,
  relayNotifier,
  releaseDueCallbacks,
  remindUpcomingCallbacks,
  routeWaiting,
  type SupportDeps,
  scheduleSlaEvaluation,
  startEmailChannel,
  startPushNotifications,
  startRatings,
  startRealtime,
  startRecordings,
  subscribeReports,
  subscribeSupport,
  warmUpHelpCentre,
} from './support/index.js';
import {
  type Acquirer,
  createAcquirer,
  createRateProvider,
  pruneIdempotencyKeys,
  type RateProvider,
  scheduleTopUpReconciliation,
} from './wallet/index.js';

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

export type RuntimeOptions = {
  clock?: Clock;
  webRoot?: string;
  jobPollingSeconds?: number;
  /** The bank to use instead of the one ACQUIRER names: tests hand in a sandbox they can steer. */
  acquirer?: (db: Database) => Acquirer;
  /** The rate source to use instead of the one FX_RATES names. */
  fxRates?: (db: Database) => RateProvider;
  /**
   * The database already being opened (`openDatabaseUrl`): `npm start` begins starting the embedded
   * PostgreSQL before it loads the rest of the server, so the two overlap.
   */
  database?: Promise<OpenedDatabase>;
};

/**
 * Every minute, on one node: idle agents become away, callbacks due join the queue and those
 * coming soon are announced to their customers, and anything still waiting is routed again (a
 * safety net for a node that stopped between queueing and routing).
 */
async function scheduleSupportSweep(deps: SupportDeps): Promise<void> {
  const queue = 'support.sweep';
  await deps.jobs.schedule(queue, '* * * * *', async () => {
    await markIdleAgentsAway(deps, deps.config.support);
    await releaseDueCallbacks(deps);
    await remindUpcomingCallbacks(deps);
    await routeWaiting(deps);
  });
}

/** Everything one OKPay node runs: database, migrations, jobs, mail and the HTTP app. */
export async function startRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const { url, sessionUrl, cluster } = await (options.database ?? openDatabaseUrl(config, logger));
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  if (cluster) closers.push(() => cluster.stop());
  try {
    // What needs a session (the migrations' lock, the job queue, LISTEN) connects directly; the
    // request pool may sit behind a transaction-mode pooler.
    await migrateDatabase(sessionUrl);
    const database = connectDatabase(url, config.databasePoolSize, 'okpay', logger, {
      preparedStatements: config.databasePreparedStatements,
      // Only straight to PostgreSQL: behind a pooler the limit is the pooler's or the role's (README, Behind PgBouncer).
      statementTimeoutMs: url === sessionUrl ? config.databaseStatementTimeoutMs : 0,
    });
    closers.push(() => database.close());
    await loadSharedSecrets(config, database.db);
    const jobs = await startJobs({ url: sessionUrl, logger, pollingIntervalSeconds: options.jobPollingSeconds });
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
      // Outside services are dependencies, chosen by config once, so use cases never pick their own.
      acquirer: options.acquirer?.(database.db) ?? createAcquirer(config, database.db),
      fxRates: options.fxRates?.(database.db) ?? createRateProvider(config, database.db),
    };
    // Shut down after everything that can post a message (sockets, requests, jobs) and before the
    // database: a batch of messages may be waiting out MESSAGE_BATCH_INTERVAL_MS.
    closers.push(() => messageWriter(deps).drain());
    const help = await importHelpContent(deps);
    if (help.published + help.drafted > 0) logger.info(help, 'imported help-centre articles');
    setImmediate(() => warmUpHelpCentre(deps.db));
    const events = createEventDispatcher(deps, { pollIntervalMs: config.eventDispatchIntervalMs });
    closers.push(() => events.stop());
    subscribeSupport(events, deps);
    await startRatings(events, deps);
    subscribeReports(events, deps);
    await scheduleTopUpReconciliation(deps);
    await scheduleSupportSweep(deps);
    await startRecordings(deps);
    await startPushNotifications(deps);
    await scheduleSlaEvaluation(deps);
    await scheduleMaintenance(deps, [
      expiredRateLimits,
      // Idempotency keys are kept 48 hours, twice the 24 promised.
      { name: 'idempotency-keys', run: (db) => pruneIdempotencyKeys(db, 48) },
      inboundEmailRetention(config.email.rawRetentionDays),
      pushDeliveryRetention,
    ]);
    const email = await startEmailChannel(deps, transport);
    closers.push(() => email.close());
    const app = await buildApp(deps, { webRoot: options.webRoot, devMailbox: useDevMailbox });
    closers.push(() => app.close());
    const realtime = await startRealtime(app.server, deps, { databaseUrl: sessionUrl });
    closers.push(() => realtime.close());
    await app.ready();
    events.registerMetrics(app.metrics.registry);
    registerGroupCommitMetrics(app.metrics.registry);
    events.start();
    return { deps, app, realtime, events, email, databaseUrl: url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
