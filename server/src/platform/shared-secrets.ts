import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Config, SharedSecretName } from './config.js';
import type { Queryable } from './db/client.js';
import { sharedSecrets } from './platform.tables.js';

/** The file name an earlier version generated into DATA_DIR, adopted once so existing data stays readable. */
const legacyFiles: Record<SharedSecretName, string> = {
  sessionSecret: 'session-secret',
  cardFingerprintSecret: 'card-fingerprint-secret',
  documentEncryptionKey: 'document-encryption-key',
};

/**
 * Fills the secrets the environment did not give (never in production) from the database, where
 * the first node to start generated each one. Every node on the database reads the same value, so
 * a token signed by one verifies on another and a card fingerprinted on one matches on the next;
 * a secret kept in a node's own folder would not.
 */
export async function loadSharedSecrets(config: Config, db: Queryable): Promise<void> {
  for (const name of config.secretsFromDatabase) {
    const legacyFile = path.join(config.dataDir, legacyFiles[name]);
    const candidate = existsSync(legacyFile) ? readFileSync(legacyFile, 'utf8').trim() : randomBytes(32).toString('base64');
    await db.insert(sharedSecrets).values({ name, value: candidate }).onConflictDoNothing({ target: sharedSecrets.name });
    const [stored] = await db.select({ value: sharedSecrets.value }).from(sharedSecrets).where(eq(sharedSecrets.name, name));
    const value = stored?.value ?? candidate;
    Object.defineProperty(config, name, {
      value: name === 'documentEncryptionKey' ? Buffer.from(value, 'base64') : value,
      enumerable: true,
      configurable: false,
      writable: false,
    });
  }
}
