/** One recipient's fate in an RFC 3464 delivery report. */
export type RecipientStatus = {
  finalRecipient: string | null;
  originalRecipient: string | null;
  action: string;
  /** RFC 3463 class.subject.detail, e.g. 5.1.1. */
  status: string;
  diagnosticCode: string | null;
  remoteMta: string | null;
};

export type DeliveryReport = { reportingMta: string | null; recipients: RecipientStatus[] };

function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** `rfc822; someone@example.com` → `someone@example.com` */
function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const cleaned = address.trim().replace(/^<|>$/g, '').toLowerCase();
  return cleaned || null;
}

/** Parses a `message/delivery-status` body: per-message fields, then one group per recipient. */
export function parseDeliveryStatus(text: string): DeliveryReport {
  const blocks = text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  const [messageBlock, ...recipientBlocks] = blocks;
  const messageFields = fieldsOf(messageBlock ?? '');
  const recipients: RecipientStatus[] = [];
  // Some reporters put the first recipient's fields in the per-message block.
  for (const block of messageFields.has('action') ? [messageBlock ?? '', ...recipientBlocks] : recipientBlocks) {
    const fields = fieldsOf(block);
    const action = (fields.get('action') ?? '').toLowerCase();
    if (!action) continue;
    const status = /\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? '';
    recipients.push({
      finalRecipient: typedAddress(fields.get('final-recipient')),
      originalRecipient: typedAddress(fields.get('original-recipient')),
      action,
      status,
      diagnosticCode: fields.get('diagnostic-code') ?? null,
      remoteMta: typedAddress(fields.get('remote-mta')),
    });
  }
  return { reportingMta: typedAddress(messageFields.get('reporting-mta')), recipients };
}

/**
 * A permanent failure: the mailbox or domain does not exist or refuses us for good. A full
 * mailbox (5.2.2) and every 4.x.x status are temporary.
 */
export function isHardBounce(recipient: RecipientStatus): boolean {
  if (recipient.action !== 'failed') return false;
  if (!recipient.status.startsWith('5.')) return false;
  return recipient.status !== '5.2.2';
}

/** The Message-ID of the message a report returns, from its returned headers. */
export function returnedMessageId(headers: string | null): string | null {
  if (!headers) return null;
  const match = /^message-id:\s*(<[^<>\s]+>)/im.exec(headers.replace(/\r?\n[ \t]+/g, ' '));
  return match?.[1] ?? null;
}
