import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import { createTestDatabase } from '../test/database.js';
import { httpClient } from '../test/http.js';
import { startTestRuntime } from '../test/runtime.js';
import { signedInCustomer } from '../test/wallet.js';
import { ConfigError, loadConfig } from './config.js';

// No secret in the environment: each node has its own data folder, and only the database is shared.
const withoutSecrets = { SESSION_SECRET: '', CARD_FINGERPRINT_SECRET: '', DOCUMENT_ENCRYPTION_KEY: '' };
const legacySecret = 'session-secret-from-an-earlier-data-folder-0123456789';
let first: Runtime;
let second: Runtime;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-legacy-'));
  await writeFile(path.join(dataDir, 'session-secret'), legacySecret);
  first = await startTestRuntime({ databaseUrl, env: { ...withoutSecrets, DATA_DIR: dataDir } });
  second = await startTestRuntime({ databaseUrl, env: withoutSecrets });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('secrets every node shares', () => {
  it('are generated once into the database, so every node has the same, whatever its data folder', () => {
    expect(second.deps.config.sessionSecret).toBe(first.deps.config.sessionSecret);
    expect(second.deps.config.cardFingerprintSecret).toBe(first.deps.config.cardFingerprintSecret);
    expect(second.deps.config.documentEncryptionKey.equals(first.deps.config.documentEncryptionKey)).toBe(true);
    expect(first.deps.config.documentEncryptionKey).toHaveLength(32);
    expect(first.deps.config.cardFingerprintSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('adopt a secret an earlier version kept in the data folder, so existing sessions and data stay valid', () => {
    expect(first.deps.config.sessionSecret).toBe(legacySecret);
  });

  it('let a session and its CSRF token from one node work on the other', async () => {
    const customer = await signedInCustomer(first);
    const csrf = (await customer.client.get('/api/me')).body as { csrfToken: string };
    const onSecond = httpClient(second.app);
    for (const [name, value] of customer.client.cookies) onSecond.cookies.set(name, value);
    const renamed = await onSecond.patch('/api/me', { displayName: '第二个节点' }, { 'x-csrf-token': csrf.csrfToken });
    expect(renamed.status).toBe(200);
  });

  it('refuse to be used before they are loaded', () => {
    const config = loadConfig({ DATA_DIR: os.tmpdir() });
    expect(config.secretsFromDatabase).toEqual(['sessionSecret', 'cardFingerprintSecret', 'documentEncryptionKey']);
    expect(() => config.sessionSecret).toThrow(ConfigError);
  });
});
