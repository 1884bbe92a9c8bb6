import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { DATA_DIR: '/tmp/okpay-config-test', SESSION_SECRET: 'x'.repeat(40) };

describe('configuration from the environment', () => {
  it('uses documented defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      defaultLocale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      env: 'development',
      seedDemoData: true,
      databaseUrl: undefined,
      fxRates: 'table',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DEFAULT_LOCALE', 'fr'],
    ['TIME_ZONE', 'Mars/Olympus'],
    ['DATABASE_URL', 'not a url'],
    ['SMTP_URL', '::::'],
    ['SESSION_SECRET', 'short'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['FX_RATES', 'guesswork'],
    ['DATABASE_SESSION_URL', 'not a url'],
    ['DATABASE_PREPARED_STATEMENTS', 'sometimes'],
    ['STUN_URLS', 'https://stun.example.com'],
    ['TURN_URLS', 'stun:turn.example.com:3478'],
    ['VOICE_RING_SECONDS', '1'],
    ['MESSAGE_BATCH_INTERVAL_MS', '-1'],
    ['MESSAGE_BATCH_INTERVAL_MS', '201'],
    ['MESSAGE_BATCH_INTERVAL_MS', 'soon'],
    ['EVENT_DISPATCH_INTERVAL_MS', '5'],
    ['EVENT_DISPATCH_INTERVAL_MS', '60001'],
    ['EVENT_DISPATCH_INTERVAL_MS', 'often'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '3600001'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'a while'],
  ])('stops with a message naming %s when it is %j', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('rests the outbox dispatcher a second between passes unless told otherwise', () => {
    expect(loadConfig(base).eventDispatchIntervalMs).toBe(1000);
    expect(loadConfig({ ...base, EVENT_DISPATCH_INTERVAL_MS: '250' }).eventDispatchIntervalMs).toBe(250);
  });

  it('reads the STUN and TURN servers, and refuses TURN without a way to sign in to it', () => {
    const config = loadConfig({
      ...base,
      STUN_URLS: 'stun:stun1.example.com:3478, stun:stun2.example.com:3478',
      TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349',
      TURN_SECRET: 'a-secret-shared-with-coturn',
    });
    expect(config.voice).toMatchObject({
      stunUrls: ['stun:stun1.example.com:3478', 'stun:stun2.example.com:3478'],
      turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      turnCredentialTtlSeconds: 86_400,
      ringSeconds: 20,
    });
    expect(loadConfig(base).voice).toMatchObject({ stunUrls: [], turnUrls: [] });
    expect(() => loadConfig({ ...base, TURN_URLS: 'turn:turn.example.com:3478' })).toThrow(/TURN_URLS: set TURN_SECRET/);
    expect(() => loadConfig({ ...base, TURN_USERNAME: 'okpay' })).toThrow(/TURN_USERNAME and TURN_CREDENTIAL/);
  });

  it('requires SESSION_SECRET in production', () => {
    expect(() => loadConfig({ DATA_DIR: base.DATA_DIR, NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required/);
  });

  it('requires an explicit acquirer in production, so the sandbox bank is never there by default', () => {
    const production = { ...base, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), CARD_FINGERPRINT_SECRET: 'y'.repeat(40) };
    expect(() => loadConfig(production)).toThrow(/ACQUIRER: required when NODE_ENV=production/);
    expect(() => loadConfig({ ...production, ACQUIRER: 'visa-direct' })).toThrow(/ACQUIRER:/);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).acquirer).toBe('sandbox');
  });

  it('connects what needs a session to DATABASE_URL unless a session URL sits beside a pooled one', () => {
    const pooled = 'postgres://okpay@pgbouncer:6432/okpay';
    const direct = 'postgres://okpay@postgres:5432/okpay';
    expect(loadConfig({ ...base, DATABASE_URL: pooled })).toMatchObject({ databaseSessionUrl: pooled, databasePreparedStatements: true });
    expect(
      loadConfig({ ...base, DATABASE_URL: pooled, DATABASE_SESSION_URL: direct, DATABASE_PREPARED_STATEMENTS: 'false' }),
    ).toMatchObject({ databaseUrl: pooled, databaseSessionUrl: direct, databasePreparedStatements: false });
    expect(() => loadConfig({ ...base, DATABASE_SESSION_URL: direct })).toThrow(/DATABASE_SESSION_URL: set DATABASE_URL too/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...base, PORT: '', DATABASE_URL: '  ' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });
});
