import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { normaliseCharsets } from './charsets.js';
import { htmlToSafeText } from './html-text.js';

export type MailAddress = { address: string; name: string };

export type DecodedAttachment = {
  fileName: string;
  contentType: string;
  size: number;
  content: Buffer;
  isInline: boolean;
};

/** What the pipeline needs from a message, decoded and in Unicode. */
export type DecodedMail = {
  messageId: string | null;
  inReplyTo: string | null;
  /** Oldest first, as written. */
  references: string[];
  from: MailAddress | null;
  /** More than one From address, or none that parses: a sign of a forged or broken message. */
  fromCount: number;
  replyTo: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  date: Date | null;
  /** Raw header values by lower-case name, unfolded; several occurrences in order. */
  headers: Map<string, string[]>;
  /** The plain text, or safe text made from the HTML when the message has no plain part. */
  text: string;
  isFromHtml: boolean;
  attachments: DecodedAttachment[];
  /** RFC 3464: the `message/delivery-status` part, when the message is a delivery report. */
  deliveryStatus: string | null;
  /** The headers of the message a report is about (`text/rfc822-headers` or the returned message). */
  returnedHeaders: string | null;
  contentType: string;
};

export class UnreadableMailError extends Error {}

/** Headers the pipeline reads; everything else is left in the raw message. */
const keptHeaders = new Set([
  'auto-submitted',
  'precedence',
  'x-auto-response-suppress',
  'list-id',
  'list-unsubscribe',
  'x-loop',
  'x-autoreply',
  'x-autorespond',
  'x-auto-reply',
  'x-mailer',
  'thread-index',
  'thread-topic',
  'authentication-results',
  'return-path',
  'content-type',
  'x-failed-recipients',
]);

function unfold(line: string): string {
  const colon = line.indexOf(':');
  return line
    .slice(colon + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((group) =>
    group.value.flatMap((item) => {
      const own = item.address ? [{ address: item.address.trim().toLowerCase(), name: (item.name ?? '').trim() }] : [];
      const members = (item.group ?? []).filter((member) => member.address);
      return [
        ...own,
        ...members.map((member) => ({ address: (member.address ?? '').trim().toLowerCase(), name: (member.name ?? '').trim() })),
      ];
    }),
  );
}

const messageIdPattern = /<[^<>\s]{1,500}>/g;

export function messageIds(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  return [...joined.matchAll(messageIdPattern)].map((match) => match[0]);
}

/**
 * Parses raw MIME into the fields the pipeline uses. Charset labels are widened first (gb2312
 * read as GB18030, big5 as Big5-HKSCS); HTML-only mail becomes safe text. NUL characters, which
 * PostgreSQL text cannot hold, are dropped from everything decoded.
 */
export async function decodeMail(raw: Buffer): Promise<DecodedMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(normaliseCharsets(raw), {
      skipHtmlToText: true,
      keepDeliveryStatus: true,
      maxHtmlLengthToParse: 2_000_000,
    });
  } catch (error) {
    throw new UnreadableMailError(error instanceof Error ? error.message : String(error));
  }
  const headers = new Map<string, string[]>();
  for (const line of parsed.headerLines ?? []) {
    if (!keptHeaders.has(line.key)) continue;
    headers.set(line.key, [...(headers.get(line.key) ?? []), clean(unfold(line.line))]);
  }
  const from = addresses(parsed.from);
  const plain = clean(parsed.text ?? '');
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const isFromHtml = plain.trim() === '' && html.trim() !== '';
  let text = plain;
  if (isFromHtml) {
    try {
      text = clean(htmlToSafeText(html));
    } catch {
      text = '';
    }
  }
  const attachments: DecodedAttachment[] = [];
  let deliveryStatus: string | null = null;
  let returnedHeaders: string | null = null;
  for (const attachment of parsed.attachments ?? []) {
    const type = attachment.contentType.toLowerCase();
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      deliveryStatus = attachment.content.toString('utf8');
      continue;
    }
    if (type === 'text/rfc822-headers' || type === 'message/rfc822-headers') {
      returnedHeaders = attachment.content.toString('utf8');
      continue;
    }
    if (type === 'message/rfc822' && deliveryStatus !== null && returnedHeaders === null) {
      const content = attachment.content.toString('utf8');
      const end = content.search(/\r?\n\r?\n/);
      returnedHeaders = end < 0 ? content : content.slice(0, end);
      continue;
    }
    attachments.push({
      fileName: clean(attachment.filename ?? '').trim() || defaultName(type),
      contentType: type,
      size: attachment.size ?? attachment.content.length,
      content: attachment.content,
      isInline: attachment.contentDisposition === 'inline' && Boolean(attachment.cid) && !attachment.filename,
    });
  }
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  const replyTo = addresses(parsed.replyTo)[0] ?? null;
  return {
    messageId: messageIds(parsed.messageId)[0] ?? null,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references),
    from: from[0] ?? null,
    fromCount: from.length,
    replyTo,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: clean(parsed.subject ?? '').trim(),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    headers,
    text,
    isFromHtml,
    attachments,
    deliveryStatus,
    returnedHeaders,
    contentType,
  };
}

function defaultName(type: string): string {
  const extension = type.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  return `attachment.${extension}`;
}

/** NUL and other C0 controls except tab and line breaks are dropped; they carry nothing readable. */
export function clean(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
