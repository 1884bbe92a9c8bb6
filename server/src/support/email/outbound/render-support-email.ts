import type { Locale } from '@okpay/contracts';
import { escapeHtml } from '../../../platform/index.js';
import { replyAboveMarker } from '../parsing/reply-text.js';
import { formatDue, replyPromise } from '../reply-promise.js';

export type SupportEmailContent = { subject: string; text: string; html: string };

const teamName = { 'zh-CN': 'OKPay 客服中心', en: 'OKPay Customer Service' } as const;

/** "OKPay 客服中心 <support@okpay.local>": who our support mail is from. */
export function supportFrom(locale: Locale, address: string): string {
  return `"${teamName[locale]}" <${address}>`;
}

const securityNote = {
  'zh-CN': '为了您的账户安全，请勿在邮件中发送密码、验证码或完整的银行卡号。',
  en: 'For your security, never send us passwords, verification codes or full card numbers by email.',
} as const;

const continueNote = {
  'zh-CN': (reference: string) => `工单编号：#${reference}。直接回复此邮件即可继续沟通，请保留标题中的编号。`,
  en: (reference: string) => `Reference: #${reference}. Reply to this email to continue; please keep the reference in the subject.`,
} as const;

function paragraphsHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p style="margin:0 0 14px">${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function layout(locale: Locale, parts: { bodyHtml: string; signatureHtml: string; footnotes: string[] }): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:0;background:#f5f7fa">
<div style="font-size:11px;color:#9ca3af;padding:12px 24px 0;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif">${escapeHtml(replyAboveMarker)}</div>
<div style="max-width:600px;margin:12px auto 24px;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;padding:24px 28px;font-family:-apple-system,'PingFang SC','Microsoft YaHei','Helvetica Neue',sans-serif;font-size:15px;line-height:1.7;color:#1f2937">
${parts.bodyHtml}
<div style="margin-top:22px;padding-top:14px;border-top:1px solid #e5e7eb;font-size:14px;color:#374151">${parts.signatureHtml}</div>
${parts.footnotes.map((note) => `<p style="margin:10px 0 0;font-size:12px;color:#6b7280">${escapeHtml(note)}</p>`).join('\n')}
</div>
</body></html>`;
}

/** An agent's answer: their words, their name and ours, the reference, and how to continue. */
export function renderReply(input: {
  locale: Locale;
  reference: string;
  subject: string;
  body: string;
  agentName: string;
}): SupportEmailContent {
  const { locale, reference } = input;
  const signature = [input.agentName, teamName[locale]].filter(Boolean);
  const footnotes = [continueNote[locale](reference), securityNote[locale]];
  const text = [replyAboveMarker, '', input.body, '', ...signature.map((line) => line), '', ...footnotes].join('\n');
  const html = layout(locale, {
    bodyHtml: paragraphsHtml(input.body),
    signatureHtml: `<strong>${escapeHtml(input.agentName)}</strong><br>${escapeHtml(teamName[locale])}`,
    footnotes,
  });
  return { subject: input.subject, text, html };
}

/** The automatic acknowledgement: received, the reference, the promise and the expected date. */
export function renderAcknowledgement(input: {
  locale: Locale;
  reference: string;
  originalSubject: string;
  customerName: string | null;
  /** The SLA's first-reply due time; null when no target applies. */
  dueAt: Date | null;
  /** The promise's "within N hours", from the email SLA policy. */
  replyWithinHours: number;
  timeZone: string;
}): SupportEmailContent {
  const { locale, reference } = input;
  const due = input.dueAt ? formatDue(input.dueAt, locale, input.timeZone) : null;
  const complex = replyPromise.complexBusinessDays;
  const zh = locale === 'zh-CN';
  const subjectTail = input.originalSubject ? (zh ? `：${input.originalSubject}` : `: ${input.originalSubject}`) : '';
  const subject = zh ? `[#${reference}] 我们已收到您的邮件${subjectTail}` : `[#${reference}] We have received your email${subjectTail}`;
  const greeting = zh ? `${input.customerName || '您'}好：` : `Hello${input.customerName ? ` ${input.customerName}` : ''},`;
  const paragraphs = zh
    ? [
        `我们已收到您的邮件${input.originalSubject ? `「${input.originalSubject}」` : ''}，工单编号为 #${reference}。`,
        `客服会在 ${input.replyWithinHours} 小时内回复您（复杂问题需要 ${complex.from}–${complex.to} 个工作日）${due ? `，预计在 ${due}前回复` : ''}。`,
        '如需补充信息或附件，直接回复此邮件即可。',
      ]
    : [
        `We have received your email${input.originalSubject ? ` "${input.originalSubject}"` : ''}. Your reference is #${reference}.`,
        `We reply within ${input.replyWithinHours} hours (complex cases take ${complex.from}–${complex.to} business days)${due ? `; expect our answer by ${due}` : ''}.`,
        'To add details or files, simply reply to this email.',
      ];
  const footnotes = [continueNote[locale](reference), securityNote[locale]];
  const text = [
    replyAboveMarker,
    '',
    greeting,
    '',
    ...paragraphs.flatMap((line) => [line, '']),
    `— ${teamName[locale]}`,
    '',
    ...footnotes,
  ].join('\n');
  const html = layout(locale, {
    bodyHtml: `<p style="margin:0 0 14px">${escapeHtml(greeting)}</p>\n${paragraphs.map((line) => `<p style="margin:0 0 14px">${escapeHtml(line)}</p>`).join('\n')}`,
    signatureHtml: escapeHtml(teamName[locale]),
    footnotes,
  });
  return { subject, text, html };
}

/** "Re: 充值失败 [#K7Q2M9]" — or without "Re:" for the first mail of a conversation we start. */
export function replySubject(baseSubject: string, reference: string, isFirst: boolean): string {
  const base = baseSubject || (reference ? 'OKPay' : '');
  return `${isFirst ? '' : 'Re: '}${base} [#${reference}]`.trim();
}
