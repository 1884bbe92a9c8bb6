import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlToSafeText } from './html-text.js';
import { splitReply } from './reply-text.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/replies/${name}`, import.meta.url), 'utf8');

describe('the new text of a reply, as each mail app writes it', () => {
  it.each([
    [
      'gmail-en.txt',
      'Hi, I tried again this morning and the top-up still fails with the same\nerror. The card ends in 4242.\n\nThanks,\nLi Lei',
      'wrote:',
    ],
    ['gmail-zh.txt', '您好，充值是今天上午9点左右失败的，金额500元，卡号尾号4242。', '于2026年12月7日周一 10:12写道：'],
    ['outlook-desktop-zh.txt', '您好：\n\n附件是银行的扣款短信截图，麻烦尽快处理。\n\n谢谢\n张伟', '-----邮件原件-----'],
    ['outlook-web-zh.txt', '好的，我已经在 App 里提交了身份验证，请帮我看一下。', '发送时间: 2026年12月7日 10:12'],
    ['outlook-en.txt', 'Thanks, that worked. The balance is correct now.', 'Sent: Monday, December 7, 2026'],
    ['outlook-desktop-en.txt', 'Please close my account, I no longer need it.', '-----Original Message-----'],
    ['iphone-zh.txt', '已经收到退款了，谢谢！', '发自我的iPhone'],
    ['apple-mail-en.txt', 'Yes, please go ahead and unfreeze it.', 'Sent from my iPhone'],
    ['qq-mail.txt', '我的账户为什么被冻结了？我没有做任何异常操作。', '------------------ 原始邮件 ------------------'],
    ['foxmail.txt', '卡号绑定失败，提示"银行拒绝"，请问是什么原因？', '发件人： OKPay 客服中心'],
    ['netease-163.txt', '转账给朋友显示成功，但对方说没收到，麻烦查一下。', '发自网易邮箱大师'],
    ['netease-126-en.txt', 'The transfer was at 14:05 yesterday, to lilei@okpay.local.', 'At 2026-12-07 10:12:33'],
    ['netease-mail-master.txt', '好的，我明天再试一次。', '---- 回复的原邮件 ----'],
    ['thunderbird-zh.txt', '汇率是多少？我想换 1000 美元。', '在 2026/12/7 10:12, OKPay 客服中心 写道:'],
    ['bottom-posted.txt', 'US dollars, about 1,000.', 'which currency would you like'],
  ])('%s: keeps what was written and folds the quote away', (name, body, inQuoted) => {
    const parts = splitReply(fixture(name));
    expect(parts.body).toBe(body);
    expect(parts.quoted).toContain(inQuoted);
  });

  it('folds the signature of a new mail away but keeps all of its text', () => {
    const parts = splitReply(fixture('new-mail-signature.txt'));
    expect(parts.body).toBe('您好，\n\n我上周五在 OKPay 充值 500 元，银行显示已扣款，但钱包余额没有变化。请帮忙查询。\n\n谢谢！');
    expect(parts.quoted).toBe('--\n李雷\n138 0000 0000');
  });

  it('keeps the whole text when nothing but a quote arrived', () => {
    const parts = splitReply('On Mon, Dec 7, 2026 at 10:12 AM OKPay <support@okpay.local> wrote:\n> hello');
    expect(parts.body).toContain('> hello');
  });

  it('cuts HTML mail at Gmail, Apple Mail and Outlook quote markers', () => {
    const gmail = htmlToSafeText(
      '<div>New text here</div><div class="gmail_quote"><div class="gmail_attr">Some header</div><blockquote>old</blockquote></div>',
    );
    expect(splitReply(gmail).body).toBe('New text here');
    const apple = htmlToSafeText('<div>收到，谢谢</div><blockquote type="cite"><div>您好，退款已发出</div></blockquote>');
    expect(splitReply(apple)).toMatchObject({ body: '收到，谢谢', quoted: expect.stringContaining('退款已发出') });
    const outlook = htmlToSafeText('<p>OK</p><hr><div id="divRplyFwdMsg"><b>From:</b> OKPay</div><div>old text</div>');
    expect(splitReply(outlook).body).toBe('OK');
  });

  it('reads a pathological line-heavy body quickly and keeps it', () => {
    const body = `${'>'.repeat(50)} x\n`.repeat(50_000) + 'On a\n'.repeat(50_000);
    const started = performance.now();
    const parts = splitReply(`real text\n${body}`);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(parts.body.startsWith('real text')).toBe(true);
  });
});

describe('safe text from a customer HTML mail', () => {
  it('drops scripts, styles and images and keeps link addresses readable', () => {
    const text = htmlToSafeText(
      '<style>p{}</style><p>Hello <b>there</b><script>alert(1)</script><img src="https://tracker.example/p.gif" alt="track"></p><p><a href="https://evil.example/x">click</a></p>',
    );
    expect(text).toBe('Hello there\n\nclick <https://evil.example/x>');
  });
});
