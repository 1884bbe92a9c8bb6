import { clean, type DecodedMail, messageIds } from '../parsing/decode-mail.js';

/**
 * What can still be read from a message the MIME parser gave up on: the header lines that matter
 * and the rest as text. The agent gets it flagged for review; the raw message stays for replay.
 */
export function salvageMail(raw: Buffer): DecodedMail {
  const text = raw.subarray(0, 2_000_000).toString('utf8');
  const split = /\r?\n\r?\n/.exec(text);
  const headerText = split ? text.slice(0, split.index) : text.slice(0, 20_000);
  const bodyText = split ? text.slice(split.index + split[0].length) : '';
  const header = (name: string) =>
    new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
      .exec(headerText)?.[1]
      ?.replace(/\r?\n[ \t]+/g, ' ')
      .trim() ?? '';
  const fromMatch = /([^\s<>"]+@[^\s<>"]+)/.exec(header('from'));
  const address = fromMatch?.[1]?.toLowerCase() ?? null;
  return {
    messageId: messageIds(header('message-id'))[0] ?? null,
    inReplyTo: messageIds(header('in-reply-to'))[0] ?? null,
    references: messageIds(header('references')),
    from: address ? { address, name: '' } : null,
    fromCount: address ? 1 : 0,
    replyTo: null,
    to: [],
    cc: [],
    subject: clean(header('subject')).slice(0, 300),
    date: null,
    headers: new Map(),
    text: clean(bodyText.replace(/\r\n/g, '\n')).slice(0, 100_000),
    isFromHtml: false,
    attachments: [],
    deliveryStatus: null,
    returnedHeaders: null,
    contentType: header('content-type') || 'text/plain',
  };
}
