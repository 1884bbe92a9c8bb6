import type { Queryable } from '../../../platform/index.js';
import type { SupportDeps } from '../../support-deps.js';
import { countRecentAcknowledgements, type EmailThread } from '../email.repository.js';
import { addressesFor } from '../email-context.js';
import { recordOutgoing } from './queue-email.js';

/**
 * Records the automatic acknowledgement of a new email conversation, unless this sender has
 * had their hour's share already (RFC 3834: an automatic responder must not answer every mail of
 * a flood or another robot). Returns the mail to dispatch after commit, or null.
 */
export async function recordAcknowledgement(
  deps: SupportDeps,
  db: Queryable,
  input: { thread: EmailThread; recipient: string; subject: string; inReplyTo: string | null; references: string[] },
): Promise<string | null> {
  const limit = deps.config.email.acknowledgementsPerSenderPerHour;
  const at = deps.clock.now();
  if (limit === 0) return null;
  const recent = await countRecentAcknowledgements(db, input.recipient, new Date(at.getTime() - 3_600_000));
  if (recent >= limit) return null;
  const addresses = addressesFor(deps.config);
  return recordOutgoing(
    db,
    input.thread,
    {
      conversationId: input.thread.conversationId,
      kind: 'acknowledgement',
      internetMessageId: addresses.newMessageId(),
      inReplyTo: input.inReplyTo,
      references: [...input.references, ...(input.inReplyTo ? [input.inReplyTo] : [])].slice(-12),
      fromAddress: addresses.support,
      recipient: input.recipient,
      subject: input.subject,
    },
    at,
  );
}
