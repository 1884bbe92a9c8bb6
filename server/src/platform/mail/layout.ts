import type { Locale } from '@okpay/contracts';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export type EmailBody = {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Several equal links in a row (a rating's five faces), each a plain link in the text version. */
  choices?: Array<{ label: string; url: string }>;
  footnotes?: string[];
};

/** One plain, readable layout for every email, in text and HTML. */
export function renderEmail(locale: Locale, body: EmailBody): { text: string; html: string } {
  const signature = locale === 'zh-CN' ? 'OKPay 客服中心' : 'OKPay Customer Service';
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(body.action ? [`${body.action.label}: ${body.action.url}`, ''] : []),
    ...(body.choices ? [...body.choices.map((choice) => `${choice.label}: ${choice.url}`), ''] : []),
    ...(body.footnotes ?? []).flatMap((note) => [note, '']),
    `— ${signature}`,
  ].join('\n');
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f2937;max-width:560px;margin:24px auto;line-height:1.6">
<p>${escapeHtml(body.greeting)}</p>
${body.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${body.action ? `<p><a href="${escapeHtml(body.action.url)}" style="display:inline-block;background:#1677ff;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(body.action.label)}</a></p><p style="font-size:12px;color:#6b7280;word-break:break-all">${escapeHtml(body.action.url)}</p>` : ''}
${body.choices ? `<p>${body.choices.map((choice) => `<a href="${escapeHtml(choice.url)}" style="display:inline-block;margin:0 6px 8px 0;border:1px solid #d1d5db;color:#1f2937;padding:8px 12px;border-radius:6px;text-decoration:none">${escapeHtml(choice.label)}</a>`).join('')}</p>` : ''}
${(body.footnotes ?? []).map((note) => `<p style="font-size:13px;color:#6b7280">${escapeHtml(note)}</p>`).join('\n')}
<p>— ${escapeHtml(signature)}</p>
</body></html>`;
  return { text, html };
}
