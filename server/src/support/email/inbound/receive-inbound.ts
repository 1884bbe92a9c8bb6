import { createHash } from 'node:crypto';
import type { SupportDeps } from '../../support-deps.js';
import { insertInbound } from '../email.repository.js';

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
  const sha256 = createHash('sha256').update(raw).digest();
  return insertInbound(deps.db, {
    source: envelope.source,
    envelopeFrom: envelope.envelopeFrom === null ? null : envelope.envelopeFrom.toLowerCase(),
    envelopeTo: envelope.envelopeTo.map((address) => address.toLowerCase()).slice(0, 50),
    remoteAddress: envelope.remoteAddress,
    raw,
    sha256,
  });
}
