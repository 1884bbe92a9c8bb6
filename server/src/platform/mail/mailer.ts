import { desc, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type pg from 'pg';
import type { Database } from '../db/client.js';
import type { Jobs } from '../jobs.js';
import { devMailbox } from '../platform.tables.js';

export type MailMessage = {
  /** Defaults to MAIL_FROM. */
  from?: string;
  /** SMTP envelope, when it differs from the headers (a VERP return path for bounces). */
  envelope?: { from: string; to: string };
  to: string;
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
};

/** Hands a message to the mail transport now. */
export type MailTransport = { deliver(message: MailMessage): Promise<void>; close(): void };

/** What use cases call: the message is queued durably and delivered with retries. */
export type Mailer = { send(message: MailMessage): Promise<void> };

export const mailQueue = 'mail.send';

export function createSmtpTransport(url: string, from: string): MailTransport {
  const transport = nodemailer.createTransport(url);
  return {
    async deliver(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

/** Development without SMTP_URL: mail is kept in the database and read at /dev/mail. */
export function createDevMailboxTransport(db: Database): MailTransport {
  return {
    async deliver(message) {
      await db.insert(devMailbox).values({
        recipient: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
      });
    },
    close: () => undefined,
  };
}

/** Queues mail through the job queue; given a transaction, the mail is queued exactly when it commits. */
export function createQueuedMailer(jobs: Jobs, tx?: pg.PoolClient): Mailer {
  return { send: (message) => jobs.send(mailQueue, message, tx ? { tx } : undefined) };
}

export async function startMailWorker(jobs: Jobs, transport: MailTransport): Promise<void> {
  await jobs.work<MailMessage>(mailQueue, (message) => transport.deliver(message));
}

export async function listDevMail(db: Database, limit = 50) {
  return db.select().from(devMailbox).orderBy(desc(devMailbox.id)).limit(limit);
}

export async function findDevMail(db: Database, id: number) {
  const [row] = await db.select().from(devMailbox).where(eq(devMailbox.id, id));
  return row;
}
