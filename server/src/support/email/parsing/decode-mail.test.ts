import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMail } from './decode-mail.js';
import { splitReply } from './reply-text.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/mime/${name}`, import.meta.url));

describe('decoding mail in the charsets Chinese mail apps send', () => {
  it('reads GB18030 characters in mail labelled GB2312 (QQ Mail), subject and body', async () => {
    const mail = await decodeMail(fixture('qq-gb2312-labelled-gb18030.eml'));
    expect(mail.subject).toBe('账户冻结：朱镕基 𠮷');
    expect(mail.text).toContain('我叫𠮷野，朱镕基的镕字');
    expect(mail.from).toEqual({ address: '1234567890@qq.com', name: '吉野家' });
    expect(mail.messageId).toBe('<tencent_3A9B1C2D4E5F@qq.com>');
  });

  it('reads Big5 with Hong Kong characters in quoted-printable (Outlook, Hong Kong)', async () => {
    const mail = await decodeMail(fixture('outlook-big5-qp.eml'));
    expect(mail.subject).toBe('充值失敗');
    expect(mail.text.trim()).toBe('你好，我嘅戶口充值失敗㗎，請幫忙查一下。');
  });

  it('reads GBK base64 parts and an encoded-word attachment name (NetEase)', async () => {
    const mail = await decodeMail(fixture('netease-gbk-attachment.eml'));
    expect(mail.subject).toBe('充值失败但银行已扣款');
    expect(mail.from?.name).toBe('王小明');
    expect(mail.text.trim()).toBe('附件是银行扣款的截图。');
    expect(mail.isFromHtml).toBe(false);
    expect(mail.attachments).toEqual([expect.objectContaining({ fileName: '扣款截图.png', contentType: 'image/png', isInline: false })]);
  });

  it('turns HTML-only mail into safe text and keeps threading headers (Gmail)', async () => {
    const mail = await decodeMail(fixture('gmail-html-only.eml'));
    expect(mail.isFromHtml).toBe(true);
    expect(mail.text).not.toContain('alert');
    expect(mail.text).not.toContain('pixel.gif');
    expect(splitReply(mail.text).body).toBe('Thanks, the refund arrived.\nSee the help page <https://okpay.local/help>.');
    expect(mail.inReplyTo).toBe('<5b0c7d1e-aaaa-bbbb-cccc-0123456789ab@okpay.local>');
    expect(mail.references).toEqual([
      '<0a1b2c3d-aaaa-bbbb-cccc-0123456789ab@okpay.local>',
      '<5b0c7d1e-aaaa-bbbb-cccc-0123456789ab@okpay.local>',
    ]);
  });

  it('reads raw 8-bit GB18030 header text that is not UTF-8', async () => {
    const mail = await decodeMail(fixture('raw-8bit-gb-header.eml'));
    expect(mail.subject).toBe('转账没到账');
    expect(mail.from).toEqual({ address: 'zhangwei@foxmail.com', name: '张伟' });
    expect(mail.text.trim()).toBe('昨天下午的转账对方没收到。');
  });

  it('drops NUL and control characters PostgreSQL cannot store', async () => {
    const mail = await decodeMail(Buffer.from('From: a@example.com\r\nSubject: bad\u0000subject\r\n\r\nhello\u0000 world\u0007\r\n'));
    expect(mail.subject).toBe('badsubject');
    expect(mail.text.trim()).toBe('hello world');
  });
});
