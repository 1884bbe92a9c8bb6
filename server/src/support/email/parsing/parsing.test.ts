import { describe, expect, it } from 'vitest';
import { noAckReason } from './auto-reply.js';
import type { DecodedMail } from './decode-mail.js';
import { isHardBounce, parseDeliveryStatus, returnedMessageId } from './delivery-status.js';
import { detectLocale } from './language.js';
import { baseSubject, isForwardSubject, subjectReference } from './subject.js';
import { newThreadIndex, replyThreadIndex, threadGuid } from './thread-index.js';

describe('subjects', () => {
  it.each([
    ['RE: [#K7Q2M9] 充值失败', '充值失败'],
    ['回复：回复: 充值失败', '充值失败'],
    ['答复: 账户冻结', '账户冻结'],
    ['Re[2]: Fwd: Exchange', 'Exchange'],
    ['转发：银行通知', '银行通知'],
    ['AW: Konto', 'Konto'],
    ['回覆：充值失敗 [#K7Q2M9]', '充值失敗'],
  ])('%s reads as %s', (subject, base) => {
    expect(baseSubject(subject)).toBe(base);
  });

  it.each([
    ['FW: 银行通知', true],
    ['Fwd: statement', true],
    ['转发：银行通知', true],
    ['Re: FW: old', false],
    ['充值失败', false],
  ])('%s is forwarded: %s', (subject, isForward) => {
    expect(isForwardSubject(subject)).toBe(isForward);
  });

  it('finds our reference, and only ours', () => {
    expect(subjectReference('Re: 充值 [#K7Q2M9]')).toBe('K7Q2M9');
    expect(subjectReference('Re: [#k7q2m9] lower case')).toBe('K7Q2M9');
    expect(subjectReference('Order #123456')).toBeNull();
    expect(subjectReference('[#K7Q2M0] has a zero, which we never use')).toBeNull();
  });
});

function mail(headers: Record<string, string>, from = 'customer@example.com'): DecodedMail {
  return {
    messageId: '<m@example.com>',
    inReplyTo: null,
    references: [],
    from: { address: from, name: '' },
    fromCount: 1,
    replyTo: null,
    to: [],
    cc: [],
    subject: 's',
    date: null,
    headers: new Map(Object.entries(headers).map(([key, value]) => [key, [value]])),
    text: '',
    isFromHtml: false,
    attachments: [],
    deliveryStatus: null,
    returnedHeaders: null,
    contentType: 'text/plain',
  };
}

describe('mail that must not be answered automatically', () => {
  const own = { addresses: new Set(['support@okpay.local', 'no-reply@okpay.local']), domain: 'okpay.local' };
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto_submitted'],
    [{ 'auto-submitted': 'auto-generated' }, 'auto_submitted'],
    [{ precedence: 'bulk' }, 'precedence'],
    [{ precedence: 'list' }, 'precedence'],
    [{ precedence: 'junk' }, 'precedence'],
    [{ 'x-auto-response-suppress': 'All' }, 'suppressed'],
    [{ 'x-auto-response-suppress': 'OOF, AutoReply' }, 'suppressed'],
    [{ 'list-unsubscribe': '<mailto:u@example.com>' }, 'mailing_list'],
    [{ 'list-id': '<news.example.com>' }, 'mailing_list'],
    [{ 'x-loop': 'support@okpay.local' }, 'loop'],
    [{ 'x-autoreply': 'yes' }, 'auto_reply_header'],
  ] as const)('%o → %s', (headers, reason) => {
    expect(noAckReason(mail(headers), 'customer@example.com', own)).toBe(reason);
  });

  it('answers ordinary mail, and mail marked Auto-Submitted: no', () => {
    expect(noAckReason(mail({}), 'customer@example.com', own)).toBeNull();
    expect(noAckReason(mail({ 'auto-submitted': 'no' }), 'customer@example.com', own)).toBeNull();
  });

  it('never answers our own addresses, mailer-daemons or the null sender', () => {
    expect(noAckReason(mail({}, 'no-reply@okpay.local'), 'no-reply@okpay.local', own)).toBe('own_address');
    expect(noAckReason(mail({}, 'MAILER-DAEMON@mx.example.com'), '', own)).toBe('mailer_daemon');
    expect(noAckReason(mail({}, 'postmaster@example.com'), 'postmaster@example.com', own)).toBe('mailer_daemon');
  });
});

describe('delivery reports (RFC 3464)', () => {
  const report = `Reporting-MTA: dns; mx.qq.com
Arrival-Date: Mon, 7 Dec 2026 10:12:40 +0800

Final-Recipient: rfc822; nobody@qq.com
Original-Recipient: rfc822;nobody@qq.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx3.qq.com
Diagnostic-Code: smtp; 550 Mailbox not found or access denied

Final-Recipient: rfc822; full@163.com
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 Mailbox full

Final-Recipient: rfc822; slow@example.com
Action: delayed
Status: 4.4.1
`;
  it('reads every recipient with action, status and diagnostic', () => {
    const parsed = parseDeliveryStatus(report);
    expect(parsed.reportingMta).toBe('mx.qq.com');
    expect(parsed.recipients.map((recipient) => [recipient.finalRecipient, recipient.status, isHardBounce(recipient)])).toEqual([
      ['nobody@qq.com', '5.1.1', true],
      ['full@163.com', '5.2.2', false],
      ['slow@example.com', '4.4.1', false],
    ]);
    expect(parsed.recipients[0]?.diagnosticCode).toBe('smtp; 550 Mailbox not found or access denied');
  });

  it('finds the returned Message-ID in folded headers', () => {
    expect(returnedMessageId('From: x\r\nMessage-ID:\r\n <abc@okpay.local>\r\nSubject: y')).toBe('<abc@okpay.local>');
  });
});

describe('Outlook Thread-Index', () => {
  it('keeps the conversation GUID through replies, so Outlook files them together', () => {
    const guid = '0123456789abcdef0123456789abcdef';
    const first = newThreadIndex(guid, new Date('2026-12-07T02:00:00Z'));
    expect(Buffer.from(first, 'base64')).toHaveLength(22);
    expect(threadGuid(first)).toBe(guid);
    const reply = replyThreadIndex(first, new Date('2026-12-07T03:00:00Z'), 7);
    expect(Buffer.from(reply, 'base64')).toHaveLength(27);
    expect(threadGuid(reply)).toBe(guid);
    expect(threadGuid('not base64 at all!')).toBeNull();
    expect(threadGuid(Buffer.alloc(10).toString('base64'))).toBeNull();
  });
});

describe('the language to answer in', () => {
  it.each([
    ['您好，充值失败了', 'zh-CN'],
    ['Hello, my top-up failed yesterday.', 'en'],
    ['Hi, this is 王小明, my transfer did not arrive and I need help with it.', 'en'],
    ['ok', 'zh-CN'],
  ] as const)('%s → %s', (text, locale) => {
    expect(detectLocale(text)).toBe(locale);
  });
});
