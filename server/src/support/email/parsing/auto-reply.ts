import type { DecodedMail } from './decode-mail.js';

/**
 * Why a message must not get an automatic acknowledgement (RFC 3834 and what peers learnt), or
 * null when it may. `loop` and `own_address` mean it must not even become a conversation.
 */
export type NoAckReason =
  | 'auto_submitted'
  | 'precedence'
  | 'suppressed'
  | 'mailing_list'
  | 'auto_reply_header'
  | 'mailer_daemon'
  | 'loop'
  | 'own_address';

const daemonLocal = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|no-?reply|noreply|do-?not-?reply|bounces?)([+-].*)?$/i;

function first(mail: DecodedMail, name: string): string | undefined {
  return mail.headers.get(name)?.[0];
}

export function isDaemonAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  return daemonLocal.test(address.split('@')[0] ?? '');
}

/**
 * Classifies a message for acknowledgement. `ownAddresses` are every address we send from or
 * receive at (the support address, MAIL_FROM), lower-case; `ownDomain` is the support domain.
 */
export function noAckReason(
  mail: DecodedMail,
  envelopeFrom: string | null,
  own: { addresses: ReadonlySet<string>; domain: string },
): NoAckReason | null {
  const fromAddress = mail.from?.address ?? '';
  const loops = mail.headers.get('x-loop') ?? [];
  if (loops.some((value) => [...own.addresses].some((address) => value.toLowerCase().includes(address)))) return 'loop';
  if (own.addresses.has(fromAddress) || (envelopeFrom !== null && own.addresses.has(envelopeFrom.toLowerCase()))) return 'own_address';
  // Our own outgoing Message-IDs coming back (a relay reflecting our mail) are a loop too.
  if (mail.messageId?.toLowerCase().endsWith(`@${own.domain}>`) && own.addresses.has(fromAddress)) return 'loop';
  const autoSubmitted = first(mail, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return 'auto_submitted';
  if (loops.some((value) => /^(yes|true|1)$/i.test(value.trim()))) return 'auto_submitted';
  const precedence = first(mail, 'precedence')?.toLowerCase();
  if (precedence && /\b(bulk|list|junk|auto_reply)\b/.test(precedence)) return 'precedence';
  const suppress = first(mail, 'x-auto-response-suppress')?.toLowerCase();
  if (suppress && /\b(all|autoreply|oof)\b/.test(suppress)) return 'suppressed';
  if (mail.headers.has('list-id') || mail.headers.has('list-unsubscribe')) return 'mailing_list';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || mail.headers.has('x-auto-reply')) return 'auto_reply_header';
  if (envelopeFrom === '' || isDaemonAddress(fromAddress) || isDaemonAddress(envelopeFrom)) return 'mailer_daemon';
  return null;
}

/** Mail an automaton wrote on its own (out-of-office, vacation notices): never reopens a conversation. */
export function isAutomatic(reason: NoAckReason | null): boolean {
  return reason === 'auto_submitted' || reason === 'auto_reply_header';
}
