import {
  type CurrencyCode,
  currencies,
  currencyCodes,
  formatMinorUnits,
  type Locale,
  maxIdentityDocumentBytes,
  passwordMinLength,
  type SupportChannel,
} from '@okpay/contracts';
import { emailVerificationTtlHours, passwordResetTtlMinutes } from '../../identity/index.js';
import type { Config, Database } from '../../platform/index.js';
import { maxAmountPerTransaction } from '../../wallet/index.js';
import { channelHours } from '../hours/describe-support-hours.js';
import type { HoursSnapshot } from '../hours/support-hours.js';
import { emailReplyHours } from '../sla/email-reply-hours.js';
import { currentSlaEnvironment } from '../sla/sla-rules.js';

/** Values an article names as `{{key}}`, filled in when it is served and indexed. */
export type HelpFacts = Readonly<Record<string, string>>;

function money(amount: number, currency: CurrencyCode, locale: Locale): string {
  const value = formatMinorUnits(amount, currency);
  return locale === 'zh-CN' ? `${currencies[currency]['zh-CN']} ${value}` : `${currency} ${value}`;
}

/**
 * Facts the articles state, resolved from configuration, the business calendars and the code that
 * enforces them, so an article never promises hours, numbers or limits the product does not keep.
 * Hours are each channel's weekly summary from its calendar, as the home page and widget show them.
 */
export function resolveHelpFacts(config: Config, locale: Locale, hours: HoursSnapshot, emailReplyWithinHours: number): HelpFacts {
  let byLocale = resolved.get(hours);
  if (!byLocale) {
    byLocale = new Map();
    resolved.set(hours, byLocale);
  }
  const key = `${locale}:${emailReplyWithinHours}`;
  const known = byLocale.get(key);
  if (known) return known;
  const facts = factsOf(config, locale, hours, emailReplyWithinHours);
  byLocale.set(key, facts);
  return facts;
}

/** The facts with the calendars and the email SLA policy in force now (read at most every SUPPORT_HOURS_CACHE_SECONDS). */
export async function helpFacts(deps: { db: Database; config: Config }, locale: Locale): Promise<HelpFacts> {
  const [environment, replyHours] = await Promise.all([currentSlaEnvironment(deps), emailReplyHours(deps)]);
  return resolveHelpFacts(deps.config, locale, environment.hours, replyHours);
}

// One set of facts per calendar snapshot, language and email promise: a snapshot is replaced when hours change.
const resolved = new WeakMap<HoursSnapshot, Map<string, HelpFacts>>();

function factsOf(config: Config, locale: Locale, hours: HoursSnapshot, emailReplyWithinHours: number): HelpFacts {
  const at = new Date();
  // Read inside a sentence: "online daily 09:00–21:00", not "online Daily".
  const hoursText = (channel: SupportChannel) => channelHours(hours, channel, at, locale).summary.replace(/^Daily\b/, 'daily');
  const { contact } = config;
  const isZh = locale === 'zh-CN';
  const limitLines = currencyCodes.map((currency) => money(maxAmountPerTransaction[currency], currency, locale));
  return {
    'contact.email': contact.email,
    'contact.phone': contact.phone,
    'contact.phoneOverseas': contact.phoneOverseas,
    'hours.phone': hoursText('phone'),
    'hours.chat': hoursText('chat'),
    'hours.email': hoursText('email'),
    'hours.emailReply': isZh ? `${emailReplyWithinHours} 小时内` : `within ${emailReplyWithinHours} hours`,
    'password.minLength': String(passwordMinLength),
    'password.resetLinkMinutes': String(passwordResetTtlMinutes),
    'email.verificationLinkHours': String(emailVerificationTtlHours),
    'signIn.attempts': String(config.rateLimits.loginPerAccount),
    'signIn.lockMinutes': String(config.rateLimits.windowMinutes),
    'session.idleMinutes': String(config.sessionIdleMinutes),
    'session.absoluteHours': String(config.sessionAbsoluteHours),
    'fx.spread': `${(config.fx.spreadBps / 100).toFixed(2).replace(/\.?0+$/, '')}%`,
    'fx.quoteSeconds': String(config.fx.quoteTtlSeconds),
    'limits.perTransaction': limitLines.join(isZh ? '；' : '; '),
    'limits.cny': money(maxAmountPerTransaction.CNY, 'CNY', locale),
    'risk.failedTopUps': String(config.risk.failedTopUps),
    'risk.failedTopUpsMinutes': String(config.risk.failedTopUpsWindowMinutes),
    'risk.unverifiedInflow': money(config.risk.unverifiedInflowLimitCny * 100, 'CNY', locale),
    'risk.inflowHours': String(config.risk.inflowWindowHours),
    'topUp.reconcileSeconds': String(config.reconcileAfterSeconds),
    'chat.attachmentMb': String(Math.round(config.support.attachmentMaxBytes / 1024 / 1024)),
    'identity.documentMb': String(Math.round(maxIdentityDocumentBytes / 1024 / 1024)),
  };
}

const placeholder = /\{\{\s*([a-zA-Z]+(?:\.[a-zA-Z]+)*)\s*\}\}/g;

/** Names of facts a text uses that do not exist; an article with any is refused. */
export function unknownFacts(text: string, facts: HelpFacts): string[] {
  return Array.from(new Set(Array.from(text.matchAll(placeholder), (match) => match[1] ?? '').filter((name) => !(name in facts))));
}

/** Fills `{{key}}` with its value, passed through `encode` (HTML-escaping for HTML, none for plain text). */
export function fillFacts(text: string, facts: HelpFacts, encode: (value: string) => string = (value) => value): string {
  return text.replace(placeholder, (match, name: string) => (name in facts ? encode(facts[name] ?? '') : match));
}
