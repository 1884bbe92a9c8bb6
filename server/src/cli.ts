import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatMinorUnits, staffRoleSchema } from '@okpay/contracts';
import { Command, InvalidArgumentError } from 'commander';
import type { Config, DatabaseHandle } from './platform/index.js';
import { type HoursDatabase, registerHoursCommands } from './support/hours/hours.cli.js';
import { registerPhoneCommands } from './support/phone/phone.cli.js';
import { registerStaffingCommand } from './support/staffing/staffing.cli.js';

// Commands import the modules they need when they run: loading the whole server for `hours open`
// cost seconds of CPU before the command even started. Only the command surfaces that need no
// database load up front (support/hours/hours.cli.ts with the calendar engine,
// support/staffing/staffing.cli.ts with Erlang C, and support/phone/phone.cli.ts with the call
// simulator, an HTTP client); the architecture test allows *.cli.ts.
const platform = () => import('./platform/index.js');

/** Opens the database the server would use (starting the embedded one if needed), runs `work`, closes. */
async function withDatabase<T>(config: Config, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const { connectDatabase, createLogger, loadSharedSecrets, migrateDatabase, openDatabaseUrl } = await platform();
  const logger = createLogger('warn');
  const { url, cluster } = await openDatabaseUrl(config, logger);
  const interrupt = () => void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    await migrateDatabase(url);
    const database = connectDatabase(url, 2, 'okpay-cli');
    try {
      await loadSharedSecrets(config, database.db);
      return await work(database);
    } finally {
      await database.close();
    }
  } finally {
    await cluster?.stop();
  }
}

const program = new Command('okpay').description('OKPay operator commands');

program
  .command('create-agent')
  .description('Create a staff account (agent, supervisor, admin or editor)')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'name shown to customers and colleagues')
  .requiredOption('--password <password>', 'initial password (at least 10 characters)')
  .option(
    '--role <role>',
    'agent | supervisor | admin | editor',
    (value) => {
      const parsed = staffRoleSchema.safeParse(value);
      if (!parsed.success) throw new InvalidArgumentError('must be agent, supervisor, admin or editor');
      return parsed.data;
    },
    'agent' as const,
  )
  .option(
    '--capacity <n>',
    'live chats at once',
    (value) => {
      const parsed = Number.parseInt(value, 10);
      if (!Number.isInteger(parsed) || parsed < 0 || parsed > 20) throw new InvalidArgumentError('must be 0–20');
      return parsed;
    },
    3,
  )
  .action(
    async (options: {
      email: string;
      name: string;
      password: string;
      role: 'agent' | 'supervisor' | 'admin' | 'editor';
      capacity: number;
    }) => {
      const config = (await platform()).loadConfig();
      const { createStaffMember } = await import('./identity/index.js');
      const staff = await withDatabase(config, ({ db }) =>
        createStaffMember(
          { db },
          {
            email: options.email,
            displayName: options.name,
            role: options.role,
            password: options.password,
            chatCapacity: options.capacity,
          },
          { type: 'system', id: 'cli' },
        ),
      );
      console.log(`Created ${staff.role} ${staff.email} (${staff.id})`);
    },
  );

program
  .command('ledger:verify')
  .description('Recompute every balance from the journal and check the double-entry invariants; exits 1 on any difference')
  .option('--json', 'print the report as JSON')
  .action(async (options: { json?: boolean }) => {
    const { verifyLedger } = await import('./wallet/index.js');
    const report = await withDatabase((await platform()).loadConfig(), ({ db }) => verifyLedger(db));
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Accounts ${report.accounts}, journal entries ${report.entries}, postings ${report.postings}`);
      // A split system account (acquirer clearing) is one balance, whatever its number of sub-accounts.
      for (const account of report.systemAccounts) {
        const parts = account.subAccounts > 1 ? ` (${account.subAccounts} sub-accounts)` : '';
        console.log(`  ${account.code} ${account.currency}: ${formatMinorUnits(account.balance, account.currency)}${parts}`);
      }
      for (const problem of report.problems) console.log(`  ✗ ${problem.check}: ${JSON.stringify(problem.detail)}`);
      console.log(
        report.isHealthy
          ? 'Ledger is balanced: every balance matches its postings and every currency sums to zero.'
          : 'LEDGER CHECK FAILED',
      );
    }
    if (!report.isHealthy) process.exitCode = 1;
  });

program
  .command('reconcile-top-ups')
  .description(
    'Ask the bank about top-ups still pending and credit or fail each one, then refund what the bank took but the wallet could not receive (the server also does this every minute)',
  )
  .option('--older-than <seconds>', 'only top-ups at least this old (default RECONCILE_AFTER_SECONDS)', (value) => {
    if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('must be a whole number of seconds');
    return Number(value);
  })
  .action(async (options: { olderThan?: number }) => {
    const { createLogger, loadConfig, systemClock } = await platform();
    const config = loadConfig();
    const logger = createLogger('warn');
    const { createAcquirer, reconcileTopUps } = await import('./wallet/index.js');
    const summary = await withDatabase(config, ({ db, pool }) =>
      reconcileTopUps(
        { db, pool, config, clock: systemClock, logger, acquirer: createAcquirer(config, db) },
        { olderThanSeconds: options.olderThan },
      ),
    );
    console.log(
      `Checked ${summary.checked} pending top-ups: ${summary.succeeded} credited, ${summary.failed} failed, ${summary.stillPending} still waiting for the bank`,
    );
    console.log(
      `Refunds to cards: ${summary.refunded} refunded, ${summary.notCharged} not charged by the bank, ${summary.stillOwed} still owed (bank unreachable)`,
    );
  });

/**
 * Administrators' hour changes for `okpay hours`, read in a read-only snapshot from DATABASE_URL
 * or the embedded database in DATA_DIR (shared with a running server); none when neither exists
 * or it has not been migrated yet, and then the shipped calendars answer.
 */
const hoursDatabase: HoursDatabase = async (read) => {
  const { connectDatabase, createLogger, loadConfig, openDatabaseUrl, withTransaction } = await platform();
  const config = loadConfig();
  if (!config.databaseUrl && !existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION'))) return null;
  const { url, cluster } = await openDatabaseUrl(config, createLogger('warn'));
  try {
    const database = connectDatabase(url, 1, 'okpay-cli');
    try {
      return await withTransaction(database.pool, (tx) => read(tx), { isSnapshot: true });
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === '42P01' || (error as { code?: string }).code === '42P01') return null;
      throw error;
    } finally {
      await database.close();
    }
  } finally {
    await cluster?.stop();
  }
};

registerHoursCommands(program, hoursDatabase);
registerStaffingCommand(program);
registerPhoneCommands(program, async () => {
  const config = (await platform()).loadConfig();
  return {
    publicUrl: config.publicUrl,
    authToken: config.telephony.twilioAuthToken,
    accountSid: config.telephony.twilioAccountSid,
    to: config.contact.phoneOverseas.replace(/[^0-9+]/g, ''),
  };
});

program
  .command('events:status')
  .description('Show how far each event subscriber has got, and the events they gave up on (dead letters)')
  .action(async () => {
    const { eventDispatchStatus, loadConfig } = await platform();
    const { subscriptions, deadLetters } = await withDatabase(loadConfig(), ({ db }) => eventDispatchStatus(db));
    if (subscriptions.length === 0) console.log('No event subscribers yet (they register when the server starts).');
    for (const item of subscriptions) {
      const retry = item.retryAt ? `, retrying at ${item.retryAt.toISOString()} after ${item.attempts} failures: ${item.lastError}` : '';
      console.log(`${item.name}: at ${item.position}, ${item.behind} behind, ${item.deadLetters} dead letters${retry}`);
    }
    for (const letter of deadLetters) {
      const requested = letter.isRetryRequested ? ' (retry requested)' : '';
      console.log(
        `  ✗ ${letter.subscription} event ${letter.eventId} ${letter.type}, ${letter.attempts} attempts: ${letter.error}${requested}`,
      );
    }
  });

program
  .command('events:retry')
  .argument('<subscriber>', 'the subscriber whose dead letters to retry')
  .description("Hand a subscriber's dead letters to it again (the running server does it within a second)")
  .action(async (subscriber: string) => {
    const { loadConfig, retryDeadLetters } = await platform();
    const count = await withDatabase(loadConfig(), ({ db }) => retryDeadLetters(db, subscriber));
    console.log(`${count} dead letters of ${subscriber} will be retried`);
  });

program
  .command('events:replay')
  .argument('<subscriber>', 'the subscriber to send back to the first event')
  .description('Hand every event ever published to a subscriber again, e.g. to rebuild a report')
  .action(async (subscriber: string) => {
    const { loadConfig, replayFromStart } = await platform();
    const found = await withDatabase(loadConfig(), ({ db }) => replayFromStart(db, subscriber));
    if (!found) {
      console.error(`No subscriber named ${subscriber} (see events:status)`);
      process.exitCode = 1;
      return;
    }
    console.log(`${subscriber} will handle every event again from the first`);
  });

program
  .command('email:replay')
  .description('Parse stored inbound mail again (after a parser fix or an outage); mail already in a conversation is not posted twice')
  .option('--failed', 'only mail whose processing failed')
  .option('--since <date>', 'mail received after this ISO date', (value) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO date, e.g. 2026-12-01T00:00:00+08:00');
    return date;
  })
  .option('--id <uuid...>', 'these stored messages only')
  .action(async (options: { failed?: boolean; since?: Date; id?: string[] }) => {
    if (!options.failed && !options.since && !options.id) throw new InvalidArgumentError('say which mail: --failed, --since or --id');
    const { createLogger, loadConfig } = await platform();
    const loaded = loadConfig();
    // The running server owns the inbound port; this command only parses what is stored.
    const config = { ...loaded, email: { ...loaded.email, inboundPort: 0 } };
    const [{ startRuntime }, { replayInbound }] = await Promise.all([import('./runtime.js'), import('./support/index.js')]);
    const runtime = await startRuntime(config, createLogger('warn'));
    try {
      const summary = await replayInbound(runtime.deps, { ids: options.id, since: options.since, onlyFailed: options.failed });
      console.log(`Replayed ${summary.replayed} stored messages; ${summary.failed} failed again (see the server log)`);
      if (summary.failed > 0) process.exitCode = 1;
    } finally {
      await runtime.close();
    }
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    await withDatabase((await platform()).loadConfig(), async () => undefined);
    console.log('Database is up to date');
  });

program
  .command('seed')
  .description('Add the demo accounts and data if they are missing')
  .action(async () => {
    const { createLogger, loadConfig } = await platform();
    const config = loadConfig();
    const [{ startRuntime }, { demoLoginsText, seedDemoData }] = await Promise.all([import('./runtime.js'), import('./seed.js')]);
    const runtime = await startRuntime(config, createLogger('warn'));
    try {
      const { created } = await seedDemoData(runtime.deps);
      console.log(created.length ? `Seeded: ${created.join(', ')}` : 'Demo data already present');
      console.log(demoLoginsText(config.publicUrl));
    } finally {
      await runtime.close();
    }
  });

program.parseAsync().catch(async (error: unknown) => {
  const { AppError, ConfigError, SearchLocaleError } = await platform();
  if (error instanceof ConfigError || error instanceof SearchLocaleError) console.error(error.message);
  else if (error instanceof AppError) console.error(`${error.code}: ${error.messageIn('en')}`);
  else console.error(error);
  process.exit(1);
});
