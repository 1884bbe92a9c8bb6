import { createHash } from 'node:crypto';
import type { SupportDeps } from '../../support-deps.js';
import { type ClaimedInbound, insertClaimedInbound, insertInbound, type NewInbound } from '../email.repository.js';

export type InboundEnvelope = {
  source: 'smtp' | 'webhook';
  envelopeFrom: string | null;
  envelopeTo: string[];
  remoteAddress: string | null;
};

/**
 * Commits a raw message: when this returns, the mail is ours and may be acknowledged to the
 * sender (SMTP 250, HTTP 200). The same bytes twice are stored once.
 */
export async function receiveInbound(
  deps: SupportDeps,
  envelope: InboundEnvelope,
  raw: Buffer,
): Promise<{ id: string; isDuplicate: boolean }> {
  return insertInbound(deps.db, newInbound(envelope, raw));
}

function newInbound(envelope: InboundEnvelope, raw: Buffer): NewInbound {
  return {
    source: envelope.source,
    envelopeFrom: envelope.envelopeFrom === null ? null : envelope.envelopeFrom.toLowerCase(),
    envelopeTo: envelope.envelopeTo.map((address) => address.toLowerCase()).slice(0, 50),
    remoteAddress: envelope.remoteAddress,
    raw,
    sha256: createHash('sha256').update(raw).digest(),
  };
}

export type InboundIntake = {
  /** Commits a raw message, together with whatever else arrived meanwhile; resolves once it is ours. */
  receive(envelope: InboundEnvelope, raw: Buffer): Promise<{ id: string; isDuplicate: boolean }>;
};

type Waiting = {
  envelope: InboundEnvelope;
  raw: Buffer;
  resolve(stored: { id: string; isDuplicate: boolean }): void;
  reject(error: unknown): void;
};

/** Mail in one commit at most: enough for a burst, small enough that no sender waits long. */
const batchMessages = 64;
const batchBytes = 16 * 1024 * 1024;

/**
 * Group commit for the SMTP server: while one batch is being committed, the mail that arrives
 * waits and goes into the next one, so a burst of N mails costs a few commits instead of N. Each
 * sender still hears 250 only after its own mail is committed. Committed mail comes back claimed
 * for processing on this node (`onClaimed`), with its bytes still in memory.
 */
export function createInboundIntake(deps: SupportDeps, leaseSeconds: number, onClaimed: (claimed: ClaimedInbound) => void): InboundIntake {
  let waiting: Waiting[] = [];
  let isCommitting = false;
  const flush = async () => {
    if (isCommitting || waiting.length === 0) return;
    isCommitting = true;
    let bytes = 0;
    let count = 0;
    while (count < waiting.length && count < batchMessages && (count === 0 || bytes + (waiting[count]?.raw.length ?? 0) <= batchBytes)) {
      bytes += waiting[count]?.raw.length ?? 0;
      count += 1;
    }
    const batch = waiting.slice(0, count);
    waiting = waiting.slice(count);
    try {
      const stored = await insertClaimedInbound(
        deps.db,
        batch.map((item) => newInbound(item.envelope, item.raw)),
        leaseSeconds,
      );
      stored.forEach((result, index) => {
        batch[index]?.resolve({ id: result.id, isDuplicate: result.isDuplicate });
        if (result.claimed) onClaimed(result.claimed);
      });
    } catch (error) {
      // One mail the database refuses must not turn away the others: alone, each gets its own answer.
      if (batch.length === 1) batch[0]?.reject(error);
      else {
        for (const item of batch) {
          await insertClaimedInbound(deps.db, [newInbound(item.envelope, item.raw)], leaseSeconds).then(([result]) => {
            if (!result) return item.reject(new Error('inbound insert returned nothing'));
            item.resolve({ id: result.id, isDuplicate: result.isDuplicate });
            if (result.claimed) onClaimed(result.claimed);
          }, item.reject);
        }
      }
    } finally {
      isCommitting = false;
      void flush();
    }
  };
  return {
    receive(envelope, raw) {
      return new Promise((resolve, reject) => {
        waiting.push({ envelope, raw, resolve, reject });
        void flush();
      });
    },
  };
}
