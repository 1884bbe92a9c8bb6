import { ConfigError, createLogger, loadConfig, SearchLocaleError } from './platform/index.js';
import { startRuntime } from './runtime.js';
import { demoLoginsText, seedDemoData } from './seed.js';

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
  const runtime = await startRuntime(config, logger);
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
