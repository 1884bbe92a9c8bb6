import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Clock } from '../platform/clock.js';
import { freePort, startTestRuntime } from './runtime.js';
import { startSmtpSink } from './smtp-sink.js';

/**
 * A node with inbound SMTP on a port of its own and outgoing mail to a loopback sink, plus a real
 * SMTP client that sends to it as a customer's mail server would.
 */
export async function startEmailTestRuntime(env: Record<string, string> = {}, options: { clock?: Clock } = {}) {
  const sink = await startSmtpSink();
  const port = await freePort();
  const runtime = await startTestRuntime({
    env: {
      SMTP_URL: sink.url,
      INBOUND_SMTP_PORT: String(port),
      INBOUND_SMTP_HOST: '127.0.0.1',
      SUPPORT_EMAIL: 'support@okpay.local',
      EMAIL_SEND_RETRY_SECONDS: '1',
      ...env,
    },
    clock: options.clock,
  });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
  return {
    runtime,
    sink,
    port,
    /** Sends over SMTP and waits until the node has processed what it accepted. */
    async send(message: Mail.Options) {
      const info = await client.sendMail(message);
      await runtime.email.processor.idle();
      return info;
    },
    /** Sends raw MIME bytes with the given envelope. */
    async sendRaw(raw: Buffer | string, envelope: { from: string; to: string[] }) {
      const info = await client.sendMail({ raw, envelope });
      await runtime.email.processor.idle();
      return info;
    },
    async close() {
      client.close();
      await runtime.close();
      await sink.close();
    },
  };
}

export type EmailTestRuntime = Awaited<ReturnType<typeof startEmailTestRuntime>>;
