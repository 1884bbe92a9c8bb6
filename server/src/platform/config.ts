import { createECDH } from 'node:crypto';
import path from 'node:path';
import { localeSchema } from '@okpay/contracts';
import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** A comma-separated list of ICE server URLs with one of the given schemes (`stun:host:3478`); empty when unset. */
function urlList(...schemes: string[]) {
  return z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every((url) => schemes.some((scheme) => url.startsWith(scheme)) && !/\s/.test(url)), {
      message: `comma-separated ${schemes.join(' or ')} URLs, e.g. ${schemes[0]}turn.example.com:3478`,
    });
}

/** The push services of Chrome/Android/Edge (FCM, WNS), Firefox and Safari: the only places Web Push is sent. */
const defaultPushServiceOrigins = [
  'https://fcm.googleapis.com',
  'https://*.notify.windows.com',
  'https://updates.push.services.mozilla.com',
  'https://web.push.apple.com',
];

/** Every setting OKPay reads from the environment. Nothing else reads process.env. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** A direct connection (not through a transaction-mode pooler) for what needs a session: LISTEN, the migrations' lock, the job queue. */
  DATABASE_SESSION_URL: z.url().optional(),
  /** Off behind PgBouncer in transaction mode older than 1.21 (or without max_prepared_statements): every statement goes unnamed. */
  DATABASE_PREPARED_STATEMENTS: booleanish.default(true),
  /** Longest a statement of the request pool may run (lock waits included) before PostgreSQL cancels it; 0 for no limit. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_PG_PORT: port.default(0),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('OKPay <no-reply@okpay.local>'),
  DEFAULT_LOCALE: localeSchema.default('zh-CN'),
  TIME_ZONE: z.string().default('Asia/Shanghai').refine(isTimeZone, { message: 'not an IANA time zone, e.g. Asia/Shanghai' }),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO_DATA: booleanish.optional(),
  TRUST_PROXY: booleanish.default(false),
  LOGIN_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(50),
  RESET_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  RESET_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  TRANSCRIPT_RATE_LIMIT_PER_CONVERSATION: z.coerce.number().int().min(1).default(3),
  TRANSCRIPT_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  TRANSCRIPT_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  CARD_FINGERPRINT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DOCUMENT_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  FX_SPREAD_BPS: z.coerce.number().int().min(0).max(1000).default(50),
  FX_QUOTE_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  FX_RATE_BAND_PERCENT: z.coerce.number().int().min(1).max(100).default(10),
  RISK_FAILED_TOP_UPS: z.coerce.number().int().min(1).default(5),
  RISK_FAILED_TOP_UPS_WINDOW_MINUTES: z.coerce.number().int().min(1).default(10),
  RISK_UNVERIFIED_INFLOW_LIMIT_CNY: z.coerce.number().int().min(1).default(50_000),
  RISK_INFLOW_WINDOW_HOURS: z.coerce.number().int().min(1).default(24),
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).default(30),
  EVENT_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  REDIS_URL: z.url().optional(),
  ACQUIRER: z.enum(['sandbox']).optional(),
  FX_RATES: z.enum(['table']).default('table'),
  AGENT_AWAY_AFTER_MINUTES: z.coerce.number().int().min(1).max(240).default(5),
  AGENT_OFFLINE_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  CHAT_ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(20).default(5),
  MESSAGE_BATCH_INTERVAL_MS: z.coerce.number().int().min(0).max(200).default(10),
  SUPPORT_HOURS_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(15),
  SUPPORT_PHONE: z
    .string()
    .regex(/^\+?[0-9][0-9 -]{4,24}$/, 'a phone number such as 400-000-0000')
    .default('400-000-0000'),
  SUPPORT_PHONE_OVERSEAS: z
    .string()
    .regex(/^\+[0-9][0-9 -]{4,24}$/, 'an international number such as +86 21 0000 0000')
    .default('+86 21 0000 0000'),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TELEPHONY_WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio account SID: AC and 32 hexadecimal digits')
    .optional(),
  TWILIO_RECORDING_ORIGINS: z
    .string()
    .regex(/^\s*https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*\s*$/, 'comma-separated origins such as https://api.twilio.com')
    .default('https://api.twilio.com'),
  RECORDING_FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  RECORDING_FETCH_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  VOICEMAIL_MAX_SECONDS: z.coerce.number().int().min(10).max(600).default(120),
  VOICEMAIL_MAX_MB: z.coerce.number().int().min(1).max(20).default(5),
  SMS_PROVIDER: z.enum(['log']).default('log'),
  CALLBACK_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  CALLBACK_RETRY_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
  VOICE_RING_SECONDS: z.coerce.number().int().min(5).max(120).default(20),
  VOICE_QUEUE_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  VOICE_RECONNECT_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  STUN_URLS: urlList('stun:', 'stuns:'),
  TURN_URLS: urlList('turn:', 'turns:'),
  TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TURN_USERNAME: z.string().min(1).max(256).optional(),
  TURN_CREDENTIAL: z.string().min(1).max(256).optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  HELP_SEARCH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  SUPPORT_EMAIL: z
    .email()
    .refine((value) => !value.split('@')[0]?.includes('+'), { message: 'must not contain +: replies come to support+<token>@' })
    .default('support@okpay.local'),
  INBOUND_SMTP_PORT: port.default(2525),
  INBOUND_SMTP_HOST: z.string().min(1).optional(),
  INBOUND_SMTP_TLS_KEY: z.string().min(1).optional(),
  INBOUND_SMTP_TLS_CERT: z.string().min(1).optional(),
  INBOUND_EMAIL_MAX_MB: z.coerce.number().int().min(1).max(100).default(25),
  EMAIL_ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(50).default(10),
  EMAIL_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  EMAIL_ACK_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(1000).default(5),
  EMAIL_CAPACITY_PER_AGENT: z.coerce.number().int().min(0).max(500).default(10),
  EMAIL_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  EMAIL_SEND_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  EMAIL_WEBHOOK_SIGNING_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WEB_ROOT: z.string().min(1).optional(),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^B[A-Za-z0-9_-]{86}$/, 'an uncompressed P-256 public key in base64url (npx web-push generate-vapid-keys)')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'a P-256 private key in base64url (npx web-push generate-vapid-keys)')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'a mailto: address or https: URL where push services can reach us')
    .optional(),
  PUSH_SERVICE_ORIGINS: z
    .string()
    .regex(/^\s*https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*\s*$/, 'comma-separated origins such as https://fcm.googleapis.com')
    .default(defaultPushServiceOrigins.join(',')),
  PUSH_CHAT_WAITING_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  PUSH_EMAIL_WAITING_HOURS: z.coerce.number().int().min(1).max(240).default(24),
  PUSH_CALLBACK_LEAD_MINUTES: z.coerce.number().int().min(1).max(120).default(10),
  CSAT_EMAIL_DELAY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  CSAT_THROTTLE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  CSAT_CHANGE_WINDOW_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  CSAT_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  CSAT_LOW_SCORE: z.coerce.number().int().min(1).max(4).default(2),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Secrets every node must share: from the environment, or (outside production) from the database. */
export type SharedSecretName = 'sessionSecret' | 'cardFingerprintSecret' | 'documentEncryptionKey';

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Where LISTEN, the migrations' session lock and the job queue connect (DATABASE_URL unless a pooler sits there). */
  databaseSessionUrl: string | undefined;
  /** Whether hot paths may use named prepared statements on the request pool. */
  databasePreparedStatements: boolean;
  /** statement_timeout of the request pool's connections when they reach PostgreSQL directly (0: none). */
  databaseStatementTimeoutMs: number;
  dataDir: string;
  embeddedPostgresPort: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  defaultLocale: 'zh-CN' | 'en';
  timeZone: string;
  sessionSecret: string;
  /** Shared secrets the environment did not give; loadSharedSecrets reads them before first use. */
  secretsFromDatabase: SharedSecretName[];
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  logLevel: string;
  seedDemoData: boolean;
  trustProxy: boolean;
  cardFingerprintSecret: string;
  documentEncryptionKey: Buffer;
  /** bandPercent: how far from the current mid rate one admin may move it; further needs a second admin. */
  fx: { spreadBps: number; quoteTtlSeconds: number; bandPercent: number };
  risk: {
    failedTopUps: number;
    failedTopUpsWindowMinutes: number;
    unverifiedInflowLimitCny: number;
    inflowWindowHours: number;
  };
  reconcileAfterSeconds: number;
  /** How long the outbox's dispatcher rests between passes that emptied it (see createEventDispatcher). */
  eventDispatchIntervalMs: number;
  redisUrl: string | undefined;
  /** The bank that binds cards and takes top-ups. Only the sandbox ships; production must choose it explicitly. */
  acquirer: 'sandbox';
  /** Where exchange rates come from: `table`, the rates admins set on the console. */
  fxRates: 'table';
  support: {
    awayAfterMinutes: number;
    offlineGraceSeconds: number;
    attachmentMaxBytes: number;
    hoursCacheSeconds: number;
    /** Least time between the starts of two batches of chat messages (see messageWriter). */
    messageBatchIntervalMs: number;
  };
  /** What the help centre and contact pages publish; hours are daily, in TIME_ZONE. */
  contact: { email: string; phone: string; phoneOverseas: string };
  /** Texts (phone verification codes): `log` writes them to the log instead of sending. */
  sms: { provider: 'log' };
  telephony: {
    /** Signs Twilio's voice webhooks (X-Twilio-Signature); unset turns the webhook off. */
    twilioAuthToken: string | undefined;
    /** A report carrying a Timestamp older than this is refused as a replay. */
    webhookMaxAgeSeconds: number;
    /** How many times a requested callback is tried, and how long after a missed try the next one is (moved into the phone line's hours). */
    callbackAttempts: number;
    callbackRetryMinutes: number;
    /** With the auth token, the credentials recordings are fetched with (HTTP basic auth); unset: fetched without. */
    twilioAccountSid: string | undefined;
    /** The only origins a provider's recording is fetched from (outside production, loopback addresses too). */
    recordingOrigins: string[];
    /** Tries to fetch a provider's recording, and the first wait between them (doubling). */
    recordingFetchAttempts: number;
    recordingFetchRetrySeconds: number;
    /** Recordings' bytes are deleted this many days after they were made. */
    recordingRetentionDays: number;
    /** The longest voicemail the widget records, and the largest file it may upload. */
    voicemailMaxSeconds: number;
    voicemailMaxBytes: number;
  };
  /** In-app voice calls: how long a console rings, how long a caller waits, how long a silent side is waited for; STUN/TURN. */
  voice: {
    ringSeconds: number;
    queueTimeoutSeconds: number;
    reconnectGraceSeconds: number;
    stunUrls: string[];
    turnUrls: string[];
    /** coturn's `static-auth-secret` (use-auth-secret): credentials are minted per request and expire. */
    turnSecret: string | undefined;
    /** A fixed TURN user instead of the secret. */
    turnUsername: string | undefined;
    turnCredential: string | undefined;
    turnCredentialTtlSeconds: number;
  };
  helpSearchPerMinute: number;
  email: {
    /** The published support address; its local part with `+tag` reaches us too. */
    supportAddress: string;
    /** 0 turns the inbound SMTP server off. */
    inboundPort: number;
    inboundHost: string;
    tls: { keyFile: string; certFile: string } | undefined;
    maxMessageBytes: number;
    attachmentMaxBytes: number;
    rawRetentionDays: number;
    acknowledgementsPerSenderPerHour: number;
    capacityPerAgent: number;
    sendAttempts: number;
    /** First wait before a failed send is tried again; it doubles each time. */
    sendRetryDelaySeconds: number;
    /** Signs the provider's inbound webhook (Mailgun's HMAC); unset turns the webhook off. */
    webhookSigningKey: string | undefined;
  };
  /** A web app build to serve instead of web/dist. */
  webRoot: string | undefined;
  push: {
    /** From the environment; otherwise generated once into the database (loadVapidKeys). */
    vapidKeys: { publicKey: string; privateKey: string } | undefined;
    /** Who we are to the push services (the VAPID `sub`). */
    subject: string;
    /** Endpoints outside these origins are refused (`*.` matches subdomains): no request goes anywhere else. */
    serviceOrigins: string[];
    /** A chat customer waiting this long for our answer is told we are on it. */
    chatWaitingMinutes: number;
    /** An email customer, this long after their unanswered mail. */
    emailWaitingHours: number;
    /** How long before each attempt of a booked callback the customer is told it is coming. */
    callbackLeadMinutes: number;
  };
  /**
   * Ratings: mail surveys go out `emailDelayMinutes` after resolving; nobody is asked twice within
   * `throttleDays`; an answer may change for `changeWindowDays`; mailed links work `linkDays`;
   * a score at or below `lowScore` is flagged for a supervisor.
   */
  ratings: { emailDelayMinutes: number; throttleDays: number; changeWindowDays: number; linkDays: number; lowScore: number };
  /** Who may read /metrics: anyone (development), holders of the bearer token, or nobody (production without one). */
  metrics: { access: 'public' } | { access: 'token'; token: string } | { access: 'off' };
  rateLimits: {
    windowMinutes: number;
    loginPerAccount: number;
    loginPerIp: number;
    resetPerAccount: number;
    resetPerIp: number;
    /** Chat transcripts and the verification mails before them, per window. */
    transcriptPerConversation: number;
    transcriptPerAccount: number;
    transcriptPerIp: number;
  };
};

export class ConfigError extends Error {}

/** Parses the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(Object.keys(environmentSchema.shape).map((key) => [key, emptyToUndefined(environment[key])]));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(relevant[String(issue.path[0])])})`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === 'production';
  const dataDir = path.resolve(values.DATA_DIR);
  const missingInProduction = isProduction
    ? [
        ...(['SESSION_SECRET', 'CARD_FINGERPRINT_SECRET', 'DOCUMENT_ENCRYPTION_KEY'] as const)
          .filter((name) => !values[name])
          .map((name) => `  ${name}: required when NODE_ENV=production`),
        ...(values.ACQUIRER
          ? []
          : [
              '  ACQUIRER: required when NODE_ENV=production; the only acquirer shipped is `sandbox`, a test bank that moves no real money, so choosing it must be deliberate',
            ]),
      ]
    : [];
  if (Boolean(values.INBOUND_SMTP_TLS_KEY) !== Boolean(values.INBOUND_SMTP_TLS_CERT)) {
    throw new ConfigError('Invalid configuration:\n  INBOUND_SMTP_TLS_KEY and INBOUND_SMTP_TLS_CERT: set both for STARTTLS, or neither');
  }
  if (values.DATABASE_SESSION_URL && !values.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_SESSION_URL: set DATABASE_URL too (the session URL sits beside a pooled one)',
    );
  }
  if (Boolean(values.VAPID_PUBLIC_KEY) !== Boolean(values.VAPID_PRIVATE_KEY)) {
    throw new ConfigError('Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both, or neither to have them generated');
  }
  if (values.VAPID_PUBLIC_KEY && values.VAPID_PRIVATE_KEY && !isVapidPair(values.VAPID_PUBLIC_KEY, values.VAPID_PRIVATE_KEY)) {
    throw new ConfigError('Invalid configuration:\n  VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY');
  }
  if (isProduction && /(^|,)\s*http:/.test(values.TWILIO_RECORDING_ORIGINS)) {
    throw new ConfigError(
      'Invalid configuration:\n  TWILIO_RECORDING_ORIGINS: recordings are fetched over https:// only when NODE_ENV=production',
    );
  }
  if (isProduction && /(^|,)\s*http:/.test(values.PUSH_SERVICE_ORIGINS)) {
    throw new ConfigError(
      'Invalid configuration:\n  PUSH_SERVICE_ORIGINS: push services are reached over https:// only when NODE_ENV=production',
    );
  }
  if (values.TURN_URLS.length > 0 && !values.TURN_SECRET && !(values.TURN_USERNAME && values.TURN_CREDENTIAL)) {
    throw new ConfigError(
      'Invalid configuration:\n  TURN_URLS: set TURN_SECRET (coturn use-auth-secret) or TURN_USERNAME and TURN_CREDENTIAL',
    );
  }
  if (Boolean(values.TURN_USERNAME) !== Boolean(values.TURN_CREDENTIAL)) {
    throw new ConfigError('Invalid configuration:\n  TURN_USERNAME and TURN_CREDENTIAL: set both, or neither');
  }
  if (missingInProduction.length > 0) throw new ConfigError(`Invalid configuration:\n${missingInProduction.join('\n')}`);
  const fromEnvironment = {
    sessionSecret: values.SESSION_SECRET,
    cardFingerprintSecret: values.CARD_FINGERPRINT_SECRET,
    documentEncryptionKey: values.DOCUMENT_ENCRYPTION_KEY === undefined ? undefined : Buffer.from(values.DOCUMENT_ENCRYPTION_KEY, 'base64'),
  };
  const secretsFromDatabase = (Object.keys(fromEnvironment) as SharedSecretName[]).filter((name) => fromEnvironment[name] === undefined);
  const config: Config = {
    env: values.NODE_ENV,
    isProduction,
    host: values.HOST,
    port: values.PORT,
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    databaseSessionUrl: values.DATABASE_SESSION_URL ?? values.DATABASE_URL,
    databasePreparedStatements: values.DATABASE_PREPARED_STATEMENTS,
    databaseStatementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir,
    embeddedPostgresPort: values.EMBEDDED_PG_PORT,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    defaultLocale: values.DEFAULT_LOCALE,
    timeZone: values.TIME_ZONE,
    sessionSecret: fromEnvironment.sessionSecret ?? '',
    cardFingerprintSecret: fromEnvironment.cardFingerprintSecret ?? '',
    documentEncryptionKey: fromEnvironment.documentEncryptionKey ?? Buffer.alloc(0),
    secretsFromDatabase,
    fx: { spreadBps: values.FX_SPREAD_BPS, quoteTtlSeconds: values.FX_QUOTE_TTL_SECONDS, bandPercent: values.FX_RATE_BAND_PERCENT },
    risk: {
      failedTopUps: values.RISK_FAILED_TOP_UPS,
      failedTopUpsWindowMinutes: values.RISK_FAILED_TOP_UPS_WINDOW_MINUTES,
      unverifiedInflowLimitCny: values.RISK_UNVERIFIED_INFLOW_LIMIT_CNY,
      inflowWindowHours: values.RISK_INFLOW_WINDOW_HOURS,
    },
    reconcileAfterSeconds: values.RECONCILE_AFTER_SECONDS,
    eventDispatchIntervalMs: values.EVENT_DISPATCH_INTERVAL_MS,
    redisUrl: values.REDIS_URL,
    acquirer: values.ACQUIRER ?? 'sandbox',
    fxRates: values.FX_RATES,
    support: {
      awayAfterMinutes: values.AGENT_AWAY_AFTER_MINUTES,
      offlineGraceSeconds: values.AGENT_OFFLINE_GRACE_SECONDS,
      attachmentMaxBytes: values.CHAT_ATTACHMENT_MAX_MB * 1024 * 1024,
      messageBatchIntervalMs: values.MESSAGE_BATCH_INTERVAL_MS,
      hoursCacheSeconds: values.SUPPORT_HOURS_CACHE_SECONDS,
    },
    contact: {
      email: values.SUPPORT_EMAIL,
      phone: values.SUPPORT_PHONE,
      phoneOverseas: values.SUPPORT_PHONE_OVERSEAS,
    },
    sms: { provider: values.SMS_PROVIDER },
    telephony: {
      twilioAuthToken: values.TWILIO_AUTH_TOKEN,
      webhookMaxAgeSeconds: values.TELEPHONY_WEBHOOK_MAX_AGE_SECONDS,
      callbackAttempts: values.CALLBACK_ATTEMPTS,
      callbackRetryMinutes: values.CALLBACK_RETRY_MINUTES,
      twilioAccountSid: values.TWILIO_ACCOUNT_SID,
      recordingOrigins: values.TWILIO_RECORDING_ORIGINS.split(',').map((origin) => origin.trim().toLowerCase()),
      recordingFetchAttempts: values.RECORDING_FETCH_ATTEMPTS,
      recordingFetchRetrySeconds: values.RECORDING_FETCH_RETRY_SECONDS,
      recordingRetentionDays: values.RECORDING_RETENTION_DAYS,
      voicemailMaxSeconds: values.VOICEMAIL_MAX_SECONDS,
      voicemailMaxBytes: values.VOICEMAIL_MAX_MB * 1024 * 1024,
    },
    voice: {
      ringSeconds: values.VOICE_RING_SECONDS,
      queueTimeoutSeconds: values.VOICE_QUEUE_TIMEOUT_SECONDS,
      reconnectGraceSeconds: values.VOICE_RECONNECT_GRACE_SECONDS,
      stunUrls: values.STUN_URLS,
      turnUrls: values.TURN_URLS,
      turnSecret: values.TURN_SECRET,
      turnUsername: values.TURN_USERNAME,
      turnCredential: values.TURN_CREDENTIAL,
      turnCredentialTtlSeconds: values.TURN_CREDENTIAL_TTL_SECONDS,
    },
    helpSearchPerMinute: values.HELP_SEARCH_RATE_LIMIT_PER_MINUTE,
    email: {
      supportAddress: values.SUPPORT_EMAIL.toLowerCase(),
      inboundPort: values.INBOUND_SMTP_PORT,
      inboundHost: values.INBOUND_SMTP_HOST ?? values.HOST,
      tls:
        values.INBOUND_SMTP_TLS_KEY && values.INBOUND_SMTP_TLS_CERT
          ? { keyFile: values.INBOUND_SMTP_TLS_KEY, certFile: values.INBOUND_SMTP_TLS_CERT }
          : undefined,
      maxMessageBytes: values.INBOUND_EMAIL_MAX_MB * 1024 * 1024,
      attachmentMaxBytes: values.EMAIL_ATTACHMENT_MAX_MB * 1024 * 1024,
      rawRetentionDays: values.EMAIL_RAW_RETENTION_DAYS,
      acknowledgementsPerSenderPerHour: values.EMAIL_ACK_LIMIT_PER_HOUR,
      capacityPerAgent: values.EMAIL_CAPACITY_PER_AGENT,
      sendAttempts: values.EMAIL_SEND_ATTEMPTS,
      sendRetryDelaySeconds: values.EMAIL_SEND_RETRY_SECONDS,
      webhookSigningKey: values.EMAIL_WEBHOOK_SIGNING_KEY,
    },
    webRoot: values.WEB_ROOT === undefined ? undefined : path.resolve(values.WEB_ROOT),
    push: {
      vapidKeys:
        values.VAPID_PUBLIC_KEY && values.VAPID_PRIVATE_KEY
          ? { publicKey: values.VAPID_PUBLIC_KEY, privateKey: values.VAPID_PRIVATE_KEY }
          : undefined,
      subject: values.VAPID_SUBJECT ?? `mailto:${values.SUPPORT_EMAIL}`,
      serviceOrigins: values.PUSH_SERVICE_ORIGINS.split(',').map((origin) => origin.trim().toLowerCase()),
      chatWaitingMinutes: values.PUSH_CHAT_WAITING_MINUTES,
      emailWaitingHours: values.PUSH_EMAIL_WAITING_HOURS,
      callbackLeadMinutes: values.PUSH_CALLBACK_LEAD_MINUTES,
    },
    ratings: {
      emailDelayMinutes: values.CSAT_EMAIL_DELAY_MINUTES,
      throttleDays: values.CSAT_THROTTLE_DAYS,
      changeWindowDays: values.CSAT_CHANGE_WINDOW_DAYS,
      linkDays: values.CSAT_LINK_DAYS,
      lowScore: values.CSAT_LOW_SCORE,
    },
    metrics: values.METRICS_TOKEN
      ? { access: 'token', token: values.METRICS_TOKEN }
      : isProduction
        ? { access: 'off' }
        : { access: 'public' },
    sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: values.SESSION_ABSOLUTE_HOURS,
    logLevel: values.LOG_LEVEL,
    seedDemoData: values.SEED_DEMO_DATA ?? !isProduction,
    trustProxy: values.TRUST_PROXY,
    rateLimits: {
      windowMinutes: values.RATE_LIMIT_WINDOW_MINUTES,
      loginPerAccount: values.LOGIN_RATE_LIMIT_PER_ACCOUNT,
      loginPerIp: values.LOGIN_RATE_LIMIT_PER_IP,
      resetPerAccount: values.RESET_RATE_LIMIT_PER_ACCOUNT,
      resetPerIp: values.RESET_RATE_LIMIT_PER_IP,
      transcriptPerConversation: values.TRANSCRIPT_RATE_LIMIT_PER_CONVERSATION,
      transcriptPerAccount: values.TRANSCRIPT_RATE_LIMIT_PER_ACCOUNT,
      transcriptPerIp: values.TRANSCRIPT_RATE_LIMIT_PER_IP,
    },
  };
  // Until loadSharedSecrets has read them, using one of these is a programming error, not an empty key.
  for (const name of secretsFromDatabase) {
    Object.defineProperty(config, name, {
      configurable: true,
      enumerable: true,
      get() {
        throw new ConfigError(`${name} is used before the shared secrets were loaded from the database`);
      },
    });
  }
  return config;
}

/** Whether the public key belongs to the private one (a mismatch would fail every push with 401/403). */
function isVapidPair(publicKey: string, privateKey: string): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return ecdh.getPublicKey().toString('base64url') === publicKey;
  } catch {
    return false;
  }
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
