// Only the platform is loaded up front: the embedded PostgreSQL starts in its own process while the
// modules above it load (`import('./runtime.js')` below), about two thirds of the server's code.
import { ConfigError, createLogger, loadConfig, openDatabaseUrl, SearchLocaleError } from './platform/index.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, !config.isProduction && process.stdout.isTTY);
  if (config.isProduction && config.acquirer === 'sandbox') {
    logger.warn('ACQUIRER=sandbox in production: cards and top-ups go to the test bank, no real money moves');
  }
  const database = openDatabaseUrl(config, logger);
  // Awaited by startRuntime; a failure before then is reported there, not as an unhandled rejection.
  database.catch(() => undefined);
  const [{ startRuntime }, { demoLoginsText, seedDemoData }] = await Promise.all([import('./runtime.js'), import('./seed.js')]);
  const runtime = await startRuntime(config, logger, { database });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await runtime.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (config.seedDemoData) {
    const { created } = await seedDemoData(runtime.deps);
    if (created.length > 0) logger.info({ created }, 'seeded demo data');
  }
  await runtime.app.listen({ host: config.host, port: config.port });
  console.log(`\nOKPay is running at ${config.publicUrl}`);
  if (config.seedDemoData) console.log(`${demoLoginsText(config.publicUrl)}\n`);
  if (!config.smtpUrl) console.log(`Outgoing mail (no SMTP_URL set): ${config.publicUrl}/dev/mail\n`);
}

main().catch((error) => {
  console.error(error instanceof SearchLocaleError ? error.message : error);
  process.exit(1);
});
