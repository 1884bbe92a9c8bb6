import type { MailTransport, MaintenanceTask } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { findStrandedOutbound, pruneInbound } from './email.repository.js';
import { emailSendQueue } from './email-context.js';
import { type InboundProcessor, startInboundProcessor } from './inbound/inbound-processor.js';
import { startInboundSmtp } from './inbound/inbound-smtp-server.js';
import { type InboundEnvelope, receiveInbound } from './inbound/receive-inbound.js';
import { deliverEmails } from './outbound/deliver-email.js';
import { dispatchOutgoing } from './outbound/queue-email.js';

export type EmailChannel = {
  /** The port the inbound SMTP server listens on; null when it is off or its port was taken. */
  smtpPort: number | null;
  processor: InboundProcessor;
  close(): Promise<void>;
};

/** Outgoing support mails one worker takes from the job queue at once. */
const sendBatchSize = 100;

const processors = new WeakMap<SupportDeps, InboundProcessor>();

/**
 * Stores mail that arrived by another way than our SMTP server (the provider webhook) and hands it
 * to this node's processor; without one running here, the sweep of another node picks it up.
 */
export async function acceptInbound(
  deps: SupportDeps,
  envelope: InboundEnvelope,
  raw: Buffer,
): Promise<{ id: string; isDuplicate: boolean }> {
  const stored = await receiveInbound(deps, envelope, raw);
  if (!stored.isDuplicate) processors.get(deps)?.enqueue(stored.id);
  return stored;
}

/** The email channel on one node: inbound SMTP, the processing of stored mail, the outgoing mail worker. */
export async function startEmailChannel(deps: SupportDeps, transport: MailTransport): Promise<EmailChannel> {
  const processor = startInboundProcessor(deps);
  processors.set(deps, processor);
  // Many at a time: a burst of new mail is acknowledged in a few statements over the pooled transport.
  await deps.jobs.workBatch<{ emailMessageId: string }>(emailSendQueue, sendBatchSize, (jobs) =>
    deliverEmails(
      deps,
      transport,
      jobs.map((job) => job.emailMessageId),
    ),
  );
  // Mail recorded as queued by a node that stopped before handing it to the job queue.
  const stranded = setInterval(() => {
    findStrandedOutbound(deps.db, new Date(deps.clock.now().getTime() - 60_000))
      .then((ids) => Promise.all(ids.map((id) => dispatchOutgoing(deps, id))))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'stranded outgoing email sweep failed'));
  }, 60_000);
  stranded.unref();
  const smtp = deps.config.email.inboundPort === 0 ? null : await startInboundSmtp(deps, (claimed) => processor.enqueueClaimed(claimed));
  return {
    smtpPort: smtp?.port ?? null,
    processor,
    async close() {
      clearInterval(stranded);
      await smtp?.close();
      await processor.stop();
      processors.delete(deps);
    },
  };
}

/** Raw inbound mail past EMAIL_RAW_RETENTION_DAYS is dropped (the conversations keep what was read from it). */
export function inboundEmailRetention(retentionDays: number): MaintenanceTask {
  return { name: 'inbound-email', run: (db) => pruneInbound(db, retentionDays) };
}
