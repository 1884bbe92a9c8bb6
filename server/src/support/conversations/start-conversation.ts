import type { ConversationCategory, LinkedObject, Locale } from '@okpay/contracts';
import type pg from 'pg';
import { withTransaction } from '../../platform/db/transaction.js';
import { routeWaiting } from '../routing/route-waiting.js';
import { SupportError } from '../support.errors.js';
import type { SupportDeps } from '../support-deps.js';
import type { ConversationRow } from './conversation-row.js';
import type { Participant } from './participant.js';
import { postMessage } from './post-message.js';
import { recordConversationEvent } from './record-event.js';

const linkOwnerQuery: Record<LinkedObject['type'], string> = {
  transaction: 'SELECT 1 FROM wallet_transactions WHERE id = $1 AND customer_id = $2',
  top_up: 'SELECT 1 FROM top_ups WHERE id = $1 AND customer_id = $2',
  card: 'SELECT 1 FROM cards WHERE id = $1 AND customer_id = $2',
};

/** A customer may link only their own wallet objects; visitors cannot link any. */
async function assertLinksOwned(db: pg.PoolClient, participant: Participant, links: LinkedObject[]): Promise<void> {
  for (const link of links) {
    if (participant.kind !== 'customer') throw SupportError('link_not_found');
    const found = await db.query(linkOwnerQuery[link.type], [link.id, participant.customerId]);
    if (found.rowCount === 0) throw SupportError('link_not_found');
  }
}

export type StartInput = {
  participant: Participant & { kind: 'customer' | 'visitor' };
  category: ConversationCategory;
  links: LinkedObject[];
  message?: string;
  clientMessageId?: string;
  locale: Locale;
};

/**
 * Opens a chat (or continues the customer's open one, adding any new links), puts it in the
 * queue and routes it. The first message, if any, is posted like every other.
 */
export async function startConversation(deps: SupportDeps, input: StartInput): Promise<{ conversation: ConversationRow; isNew: boolean }> {
  const at = deps.clock.now();
  const owner =
    input.participant.kind === 'customer'
      ? { column: 'customer_id', id: input.participant.customerId }
      : { column: 'visitor_id', id: input.participant.visitorId };
  const { conversation, isNew, linked } = await withTransaction(deps.pool, async (tx) => {
    await assertLinksOwned(tx.client, input.participant, input.links);
    // One live chat per customer: starting again continues it (serialised per owner by this lock).
    await tx.client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`chat:${owner.id}`]);
    const existing = await tx.client.query<ConversationRow>(
      `SELECT * FROM conversations WHERE ${owner.column} = $1 AND channel = 'chat' AND status IN ('open', 'pending') AND NOT is_offline_message
       ORDER BY created_at DESC LIMIT 1`,
      [owner.id],
    );
    let row = existing.rows[0];
    const created = !row;
    if (!row) {
      const inserted = await tx.client.query<ConversationRow>(
        `INSERT INTO conversations (customer_id, visitor_id, is_verified, channel, status, category, locale, contact_name, waiting_since, created_at, updated_at)
         VALUES ($1, $2, $3, 'chat', 'open', $4, $5, $6, $7, $7, $7) RETURNING *`,
        [
          input.participant.kind === 'customer' ? input.participant.customerId : null,
          input.participant.kind === 'visitor' ? input.participant.visitorId : null,
          input.participant.kind === 'customer',
          input.category,
          input.locale,
          input.participant.name,
          at,
        ],
      );
      row = inserted.rows[0];
      if (!row) throw new Error('conversation insert returned nothing');
      await recordConversationEvent(tx.client, row.id, 'created', input.participant, { category: input.category, channel: 'chat' }, at);
    }
    let added = 0;
    for (const link of input.links) {
      const linked = await tx.client.query(
        'INSERT INTO conversation_links (conversation_id, object_type, object_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [row.id, link.type, link.id],
      );
      if (linked.rowCount) {
        added += 1;
        await recordConversationEvent(tx.client, row.id, 'linked', input.participant, { ...link }, at);
      }
    }
    return { conversation: row, isNew: created, linked: added };
  });
  if (input.message) {
    await postMessage(deps, { conversation, author: input.participant, body: input.message, clientMessageId: input.clientMessageId });
  }
  if (isNew) await routeWaiting(deps);
  // A customer coming back about another top-up: the agent on the chat should see the new link.
  else if (linked > 0) deps.notifier.conversationUpdated(conversation, { type: 'linked' });
  const fresh = await deps.pool.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [conversation.id]);
  return { conversation: fresh.rows[0] ?? conversation, isNew };
}
