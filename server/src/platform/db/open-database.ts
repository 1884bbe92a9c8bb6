import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { type EmbeddedCluster, ensureDatabase, startEmbeddedPostgres } from './embedded-postgres.js';
import { assertSearchLocale, finishInterruptedLocaleUpgrade, readDatabaseLocale, upgradeEmbeddedLocale } from './search-locale.js';

export type OpenedDatabase = { url: string; sessionUrl: string; cluster?: EmbeddedCluster };

/**
 * Resolves the database: the configured server, or the embedded cluster in DATA_DIR. `url` serves
 * the request pool (it may be a transaction-mode pooler); `sessionUrl` what needs a session.
 */
export async function openDatabaseUrl(config: Config, logger: Logger): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    await assertSearchLocale(config.databaseSessionUrl ?? config.databaseUrl);
    return { url: config.databaseUrl, sessionUrl: config.databaseSessionUrl ?? config.databaseUrl };
  }
  await finishInterruptedLocaleUpgrade(config.dataDir);
  let cluster = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger });
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    // Data folders created before the cluster was initialised with C.UTF-8 are moved over once.
    if (!(await readDatabaseLocale(cluster.urlFor('okpay'))).isUtf8 && !cluster.isShared) {
      logger.warn(
        'the embedded database was created with LC_CTYPE=C, under which Chinese search cannot work: copying it to a C.UTF-8 cluster',
      );
      await cluster.stop();
      const report = await upgradeEmbeddedLocale({ dataDir: config.dataDir, database: 'okpay', logger, port: config.embeddedPostgresPort });
      logger.warn(report, 'the embedded database now uses C.UTF-8; the old cluster is kept until you delete its folder');
      cluster = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger });
    }
    await assertSearchLocale(cluster.urlFor('okpay'));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { url: cluster.urlFor('okpay'), sessionUrl: cluster.urlFor('okpay'), cluster };
}
