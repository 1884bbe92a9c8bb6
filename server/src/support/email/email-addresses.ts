import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../platform/index.js';

/** What an envelope recipient of ours means. */
export type OurRecipient = { kind: 'support' } | { kind: 'reply'; token: string } | { kind: 'bounce'; token: string };

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 128 random bits as 26 lower-case base32 characters: safe in a local part, case-insensitive. */
export function newToken(): string {
  const bytes = randomBytes(16);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32[(value << (5 - bits)) & 31];
  return out;
}

const tokenPattern = /^[a-z2-7]{26}$/;

export function addressOf(value: string): string | null {
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^<>\s"]+@[^<>\s"]+)/.exec(value);
  return match?.[1]?.toLowerCase() ?? null;
}

/** The support centre's addresses, derived from SUPPORT_EMAIL (and MAIL_FROM, which we also send from). */
export function supportAddresses(config: Config) {
  const support = config.email.supportAddress;
  const [local = 'support', domain = 'localhost'] = support.split('@');
  const mailFrom = addressOf(config.mailFrom);
  const own = new Set([support, ...(mailFrom ? [mailFrom] : [])]);
  return {
    support,
    domain,
    own: { addresses: own as ReadonlySet<string>, domain },
    replyAddress: (token: string) => `${local}+${token}@${domain}`,
    bounceAddress: (token: string) => `${local}+bounce-${token}@${domain}`,
    newMessageId: () => `<${randomUUID()}@${domain}>`,
    /** Which of ours an address is, or null for anything else (refused at RCPT with 550). */
    recipient(address: string): OurRecipient | null {
      const normalised = address.trim().toLowerCase();
      const at = normalised.lastIndexOf('@');
      if (at < 0 || normalised.slice(at + 1) !== domain) return null;
      const localPart = normalised.slice(0, at);
      if (localPart === local) return { kind: 'support' };
      if (!localPart.startsWith(`${local}+`)) return null;
      const tag = localPart.slice(local.length + 1);
      if (tag.startsWith('bounce-') && tokenPattern.test(tag.slice(7))) return { kind: 'bounce', token: tag.slice(7) };
      if (tokenPattern.test(tag)) return { kind: 'reply', token: tag };
      // A plus tag we did not issue still reaches the support desk.
      return { kind: 'support' };
    },
  };
}

export type SupportAddresses = ReturnType<typeof supportAddresses>;
