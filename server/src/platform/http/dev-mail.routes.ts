import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { PlatformError } from '../errors.js';
import { escapeHtml } from '../mail/layout.js';
import { findDevMail, listDevMail } from '../mail/mailer.js';

/** The development outbox at /dev/mail; never registered in production or when SMTP_URL is set. */
export function installDevMailRoutes(app: FastifyInstance, db: Database): void {
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,'PingFang SC',sans-serif;max-width:880px;margin:24px auto;padding:0 16px;color:#1f2937}
table{border-collapse:collapse;width:100%}td,th{padding:8px;border-bottom:1px solid #e5e7eb;text-align:left}
a{color:#1677ff}pre{white-space:pre-wrap;background:#f9fafb;padding:16px;border-radius:8px}</style></head>
<body>${body}</body></html>`;

  app.get('/dev/mail', { schema: { hide: true } }, async (_request, reply) => {
    const mails = await listDevMail(db);
    const rows = mails
      .map(
        (mail) =>
          `<tr><td>${mail.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${escapeHtml(mail.recipient)}</td><td><a href="/dev/mail/${mail.id}">${escapeHtml(mail.subject)}</a></td></tr>`,
      )
      .join('');
    const body = `<h1>Development outbox</h1><p>Mail OKPay sent while no SMTP_URL is set. Newest first.</p>
${mails.length === 0 ? '<p>No mail yet.</p>' : `<table><tr><th>Time (UTC)</th><th>To</th><th>Subject</th></tr>${rows}</table>`}`;
    return reply.type('text/html; charset=utf-8').send(page('Development outbox', body));
  });

  app.get('/dev/mail.json', { schema: { hide: true } }, async () => ({ mail: await listDevMail(db) }));

  app.get('/dev/mail/:id', { schema: { hide: true } }, async (request, reply) => {
    const id = z.coerce
      .number()
      .int()
      .positive()
      .safeParse((request.params as { id: string }).id);
    const mail = id.success ? await findDevMail(db, id.data) : undefined;
    if (!mail) throw PlatformError('not_found');
    const content = mail.html ?? `<pre>${escapeHtml(mail.text)}</pre>`;
    const body = `<p><a href="/dev/mail">← outbox</a></p><h2>${escapeHtml(mail.subject)}</h2><p>To: ${escapeHtml(mail.recipient)}</p><hr>${content}`;
    return reply.type('text/html; charset=utf-8').send(page(mail.subject, body));
  });
}
