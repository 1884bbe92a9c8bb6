import {
  type CurrencyCode,
  currencies,
  currencyCodes,
  formatMinorUnits,
  type Locale,
  maxIdentityDocumentBytes,
  passwordMinLength,
} from '@okpay/contracts';
import { emailVerificationTtlHours, passwordResetTtlMinutes } from '../../identity/index.js';
import type { Config } from '../../platform/config.js';
import { maxAmountPerTransaction } from '../../wallet/index.js';

/** Values an article names as `{{key}}`, filled in when it is served and indexed. */
export type HelpFacts = Readonly<Record<string, string>>;

const zoneNames: Record<string, Record<Locale, string>> = {
  'Asia/Shanghai': { 'zh-CN': '北京时间', en: 'Beijing time' },
};

function dailyHours(range: string, config: Config, locale: Locale): string {
  const [from, to] = range.split('-');
  const zone = zoneNames[config.timeZone]?.[locale] ?? config.timeZone;
  return locale === 'zh-CN' ? `每天 ${from}–${to}（${zone}）` : `daily ${from}–${to} (${zone})`;
}

function money(amount: number, currency: CurrencyCode, locale: Locale): string {
  const value = formatMinorUnits(amount, currency);
  return locale === 'zh-CN' ? `${currencies[currency]['zh-CN']} ${value}` : `${currency} ${value}`;
}

/**
 * Facts the articles state, resolved from configuration and the code that enforces them, so an
 * article never promises hours, numbers or limits the product does not keep. Hours come from
 * configuration until the business calendar answers them; this is the one place to point at it.
 */
export function resolveHelpFacts(config: Config, locale: Locale): HelpFacts {
  const { contact } = config;
  const isZh = locale === 'zh-CN';
  const limitLines = currencyCodes.map((currency) => money(maxAmountPerTransaction[currency], currency, locale));
  return {
    'contact.email': contact.email,
    'contact.phone': contact.phone,
    'contact.phoneOverseas': contact.phoneOverseas,
    'hours.phone': dailyHours(contact.phoneHours, config, locale),
    'hours.chat': dailyHours(contact.chatHours, config, locale),
    'hours.emailReply': isZh ? `${contact.emailReplyHours} 小时内` : `within ${contact.emailReplyHours} hours`,
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
