import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SupportDeps } from '../../support-deps.js';
import type { ClaimedInbound } from '../email.repository.js';
import { addressOf } from '../email-addresses.js';
import { addressesFor } from '../email-context.js';
import { inboundLeaseSeconds } from './process-inbound.js';
import { createInboundIntake } from './receive-inbound.js';

export type InboundSmtp = { port: number; close(): Promise<void> };

/** An SMTP reply with its code and RFC 3463 enhanced status, the way smtp-server sends it. */
function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

const maxRecipients = 20;

/** The From line of a message, read from its header block only (cheap, before anything is stored). */
function headerFrom(raw: Buffer): string | null {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const match = /^from:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(end < 0 ? head : head.slice(0, end));
  return match?.[1] ? addressOf(match[1]) : null;
}

/**
 * The support address's mail server: refuses unknown mailboxes at RCPT (550), oversized mail
 * (552), and mail claiming to come from ourselves (550 5.7.1); answers 250 only once the message
 * is committed, and 451 (try later) when it cannot be, so the sending server keeps it.
 */
export async function startInboundSmtp(deps: SupportDeps, onClaimed: (claimed: ClaimedInbound) => void): Promise<InboundSmtp | null> {
  const { inboundPort, inboundHost, maxMessageBytes, tls } = deps.config.email;
  const addresses = addressesFor(deps.config);
  const intake = createInboundIntake(deps, inboundLeaseSeconds, onClaimed);
  const server = new SMTPServer({
    name: addresses.domain,
    banner: 'OKPay support mail',
    size: maxMessageBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !tls,
    ...(tls ? { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) } : {}),
    logger: false,
    maxClients: 500,
    socketTimeout: 60_000,
    closeTimeout: 30_000,
    onMailFrom(address, _session, callback) {
      const args = address.args as Record<string, string> | false;
      const declared = args ? Number(args.SIZE ?? 0) : 0;
      if (declared > maxMessageBytes) {
        return callback(smtpError(552, `5.3.4 Message too big: the limit is ${Math.round(maxMessageBytes / 1024 / 1024)} MB`));
      }
      callback();
    },
    onRcptTo(address, session, callback) {
      if (!addresses.recipient(address.address)) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
      if (session.envelope.rcptTo.length >= maxRecipients) return callback(smtpError(452, '4.5.3 Too many recipients'));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped: the stream must be drained before answering.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(smtpError(451, `4.3.0 Could not read the message: ${error.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(smtpError(552, `5.3.4 Message too big: the limit is ${Math.round(maxMessageBytes / 1024 / 1024)} MB`));
        }
        const raw = Buffer.concat(chunks);
        const from = headerFrom(raw);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
        // Only we send as ourselves; such mail from outside is forged or a loop.
        if ((from && addresses.own.addresses.has(from)) || addresses.own.addresses.has(mailFrom)) {
          return callback(smtpError(550, '5.7.1 Mail from our own address is not accepted from outside'));
        }
        intake
          .receive(
            {
              source: 'smtp',
              envelopeFrom: mailFrom,
              envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
              remoteAddress: session.remoteAddress ?? null,
            },
            raw,
          )
          .then(
            ({ id }) => callback(null, `2.0.0 Queued as ${id}`),
            (error: unknown) => {
              deps.logger.error({ err: error }, 'inbound email could not be stored');
              callback(smtpError(451, '4.3.0 Temporarily unable to store the message; try again later'));
            },
          );
      });
    },
  });
  server.on('error', (error) => deps.logger.warn({ err: error }, 'inbound SMTP connection error'));
  const listening = await new Promise<boolean>((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      deps.logger.warn(
        { err: error, port: inboundPort },
        `inbound SMTP could not listen on ${inboundHost}:${inboundPort} (${error.code ?? error.message}); running without it`,
      );
      resolve(false);
    };
    server.server.once('error', onError);
    server.listen(inboundPort, inboundHost, () => {
      server.server.off('error', onError);
      resolve(true);
    });
  });
  if (!listening) return null;
  const port = (server.server.address() as AddressInfo).port;
  deps.logger.info({ port, address: addresses.support }, 'inbound SMTP listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
