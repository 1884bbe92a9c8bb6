import type { LinkedObject } from '@okpay/contracts';
import { and, asc, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { staffMembers } from '../../../identity/index.js';
import type { Queryable, Transaction } from '../../../platform/index.js';
import type { ConversationRow } from '../../conversations/conversations.repository.js';
import { conversationLinks, conversations } from '../../support.tables.js';
import type { CallRow } from '../phone.repository.js';
import { calls } from '../phone.tables.js';
import { voiceAgentLines, voiceCalls } from './voice.tables.js';

export type VoiceCallRow = typeof voiceCalls.$inferSelect;

/** An in-app call with everything its view shows: the call, its conversation, links and the agent's name. */
export type VoiceCallRecord = {
  voice: VoiceCallRow;
  call: CallRow;
  conversation: Pick<ConversationRow, 'id' | 'category' | 'customerId' | 'visitorId' | 'contactName' | 'isVerified'>;
  links: LinkedObject[];
  agentName: string | null;
};

export async function insertVoiceCall(tx: Transaction, values: typeof voiceCalls.$inferInsert): Promise<VoiceCallRow> {
  const [row] = await tx.insert(voiceCalls).values(values).returning();
  if (!row) throw new Error('voice call insert returned nothing');
  return row;
}

/** The voice call and its call row, both locked until the transaction ends: one change at a time, on any node. */
export async function findVoiceCallForUpdate(tx: Transaction, callId: string): Promise<{ voice: VoiceCallRow; call: CallRow } | undefined> {
  const [row] = await tx
    .select({ voice: voiceCalls, call: calls })
    .from(voiceCalls)
    .innerJoin(calls, eq(calls.id, voiceCalls.callId))
    .where(eq(voiceCalls.callId, callId))
    .for('update');
  return row;
}

/** The voice call and its call row as they are now, unlocked. */
export async function findVoiceCall(db: Queryable, callId: string): Promise<{ voice: VoiceCallRow; call: CallRow } | undefined> {
  const [row] = await db
    .select({ voice: voiceCalls, call: calls })
    .from(voiceCalls)
    .innerJoin(calls, eq(calls.id, voiceCalls.callId))
    .where(eq(voiceCalls.callId, callId));
  return row;
}

export async function updateVoiceCall(
  tx: Transaction,
  callId: string,
  fields: Partial<Omit<VoiceCallRow, 'callId'>>,
): Promise<VoiceCallRow> {
  const [row] = await tx.update(voiceCalls).set(fields).where(eq(voiceCalls.callId, callId)).returning();
  if (!row) throw new Error(`voice call ${callId} vanished`);
  return row;
}

/** The in-app calls with what their views need, in the order asked. */
export async function listVoiceCallRecords(db: Queryable, callIds: readonly string[]): Promise<VoiceCallRecord[]> {
  if (callIds.length === 0) return [];
  const rows = await db
    .select({
      voice: voiceCalls,
      call: calls,
      conversation: {
        id: conversations.id,
        category: conversations.category,
        customerId: conversations.customerId,
        visitorId: conversations.visitorId,
        contactName: conversations.contactName,
        isVerified: conversations.isVerified,
      },
      agentName: staffMembers.displayName,
    })
    .from(voiceCalls)
    .innerJoin(calls, eq(calls.id, voiceCalls.callId))
    .innerJoin(conversations, eq(conversations.id, calls.conversationId))
    .leftJoin(staffMembers, eq(staffMembers.id, voiceCalls.agentId))
    .where(inArray(voiceCalls.callId, [...callIds]));
  const links = await db
    .select({ conversationId: conversationLinks.conversationId, type: conversationLinks.objectType, id: conversationLinks.objectId })
    .from(conversationLinks)
    .where(
      inArray(
        conversationLinks.conversationId,
        rows.map((row) => row.conversation.id),
      ),
    )
    .orderBy(asc(conversationLinks.createdAt));
  const byId = new Map(rows.map((row) => [row.voice.callId, row]));
  return callIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const own = links
      .filter((link) => link.conversationId === row.conversation.id)
      .map(({ type, id: objectId }) => ({ type, id: objectId }));
    return [{ ...row, links: own }];
  });
}

/** The caller's live in-app call, if any: a caller has one at a time. */
export async function findLiveVoiceCallOf(
  db: Queryable,
  owner: { customerId: string } | { visitorId: string },
): Promise<string | undefined> {
  const [row] = await db
    .select({ callId: voiceCalls.callId })
    .from(voiceCalls)
    .innerJoin(calls, eq(calls.id, voiceCalls.callId))
    .innerJoin(conversations, eq(conversations.id, calls.conversationId))
    .where(
      and(
        isNull(voiceCalls.endedAt),
        'customerId' in owner ? eq(conversations.customerId, owner.customerId) : eq(conversations.visitorId, owner.visitorId),
      ),
    );
  return row?.callId;
}

/** Calls ringing for an agent or connected to them now. */
export async function listLiveVoiceCallsOfAgent(db: Queryable, staffId: string): Promise<string[]> {
  const rows = await db
    .select({ callId: voiceCalls.callId })
    .from(voiceCalls)
    .where(and(isNull(voiceCalls.endedAt), or(eq(voiceCalls.agentId, staffId), eq(voiceCalls.ringingAgentId, staffId))));
  return rows.map((row) => row.callId);
}

// ---- Agents' lines -----------------------------------------------------------------------------

// An online agent who takes conversations, not on a voice line, not passed over for this call (or
// the one asked for): the line row is inserted for them, and a line someone else inserted first
// (another node ringing the same agent) makes this insert do nothing. Ties go to whoever waited
// longest for work.
const claimLine = `
INSERT INTO voice_agent_lines (staff_id, call_id, is_ringing, since)
SELECT s.id, $1, true, $2
FROM staff_members s
JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
WHERE s.is_active AND s.chat_capacity > 0 AND s.role <> 'editor'
  AND NOT (s.id = ANY($3::uuid[]))
  AND ($4::uuid IS NULL OR s.id = $4::uuid)
  AND NOT EXISTS (SELECT 1 FROM voice_agent_lines l WHERE l.staff_id = s.id)
ORDER BY p.last_assigned_at NULLS FIRST, s.id
LIMIT 1
ON CONFLICT DO NOTHING
RETURNING staff_id`;

/**
 * Claims a free agent's line for the call, ringing: the one asked for, or the next free one not
 * passed over. Undefined when there is none (or another node claimed the one chosen first and no
 * other is left after a few tries).
 */
export async function claimAgentLine(
  tx: Transaction,
  input: { callId: string; at: Date; passOver: readonly string[]; agentId?: string },
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await tx.$client.query<{ staff_id: string }>({
      name: 'okpay_voice_claim_line',
      text: claimLine,
      values: [input.callId, input.at, [...input.passOver], input.agentId ?? null],
    });
    const claimed = result.rows[0]?.staff_id;
    if (claimed) return claimed;
    // Nothing inserted: nobody free, or a racing node took the chosen agent first. Only the latter is worth another look.
    const free = await tx.$client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM staff_members s JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
       WHERE s.is_active AND s.chat_capacity > 0 AND s.role <> 'editor' AND NOT (s.id = ANY($1::uuid[]))
         AND ($2::uuid IS NULL OR s.id = $2::uuid) AND NOT EXISTS (SELECT 1 FROM voice_agent_lines l WHERE l.staff_id = s.id)`,
      [[...input.passOver], input.agentId ?? null],
    );
    if ((free.rows[0]?.n ?? 0) === 0) return undefined;
  }
  return undefined;
}

/** The ringing agent answered: their line now carries the call. */
export async function markLineTalking(tx: Transaction, staffId: string, callId: string): Promise<void> {
  await tx
    .update(voiceAgentLines)
    .set({ isRinging: false })
    .where(and(eq(voiceAgentLines.staffId, staffId), eq(voiceAgentLines.callId, callId)));
}

export async function releaseAgentLine(tx: Transaction, staffId: string, callId: string): Promise<void> {
  await tx.delete(voiceAgentLines).where(and(eq(voiceAgentLines.staffId, staffId), eq(voiceAgentLines.callId, callId)));
}

export async function releaseCallLines(tx: Transaction, callId: string): Promise<void> {
  await tx.delete(voiceAgentLines).where(eq(voiceAgentLines.callId, callId));
}

// ---- The queue and the sweep -------------------------------------------------------------------

/** Waiting calls nobody is ringing, oldest first, locked; another node's routing skips them. */
export async function lockUnrungCalls(tx: Transaction, limit: number): Promise<VoiceCallRow[]> {
  return tx
    .select()
    .from(voiceCalls)
    .where(and(isNull(voiceCalls.endedAt), isNotNull(voiceCalls.waitingSince), isNull(voiceCalls.ringingAgentId)))
    .orderBy(asc(voiceCalls.waitingSince), asc(voiceCalls.callId))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Every call waiting for an agent (rung or not), in the order they will be answered. */
export async function listVoiceQueue(db: Queryable): Promise<string[]> {
  const rows = await db
    .select({ callId: voiceCalls.callId })
    .from(voiceCalls)
    .where(and(isNull(voiceCalls.endedAt), isNotNull(voiceCalls.waitingSince)))
    .orderBy(asc(voiceCalls.waitingSince), asc(voiceCalls.callId));
  return rows.map((row) => row.callId);
}

export type DueVoiceCall = { callId: string; due: 'ring' | 'queue' | 'customer' | 'agent' | 'unrung' };

/**
 * Live calls with something to do: a console rang too long, a caller waited too long, a side was
 * not heard from since `silentBefore`, or a waiting call nobody rings yet.
 */
export async function listDueVoiceCalls(db: Queryable, at: Date, silentBefore: Date): Promise<DueVoiceCall[]> {
  const result = await db.$client.query<{ call_id: string; due: DueVoiceCall['due'] }>({
    name: 'okpay_voice_due',
    text: `SELECT call_id, CASE
         WHEN customer_seen_at < $2 THEN 'customer'
         WHEN agent_id IS NOT NULL AND agent_seen_at < $2 THEN 'agent'
         WHEN ring_until < $1 THEN 'ring'
         WHEN waiting_since IS NOT NULL AND queue_until < $1 THEN 'queue'
         ELSE 'unrung' END AS due
       FROM voice_calls
       WHERE ended_at IS NULL AND (customer_seen_at < $2 OR (agent_id IS NOT NULL AND agent_seen_at < $2) OR ring_until < $1
         OR (waiting_since IS NOT NULL AND (queue_until < $1 OR ringing_agent_id IS NULL)))
       ORDER BY waiting_since NULLS FIRST, call_id`,
    values: [at, silentBefore],
  });
  return result.rows.map((row) => ({ callId: row.call_id, due: row.due }));
}

/** A node still holds these sides' sockets: they are heard from now. */
export async function touchVoiceSides(db: Queryable, side: 'customer' | 'agent', callIds: readonly string[], at: Date): Promise<void> {
  if (callIds.length === 0) return;
  await db
    .update(voiceCalls)
    .set(side === 'customer' ? { customerSeenAt: at } : { agentSeenAt: at })
    .where(and(inArray(voiceCalls.callId, [...callIds]), isNull(voiceCalls.endedAt)));
}

/** Typical seconds an in-app call talks: the median of last week's answered ones, or undefined without history. */
export async function medianVoiceTalkSeconds(db: Queryable, since: Date): Promise<number | undefined> {
  const result = await db.$client.query<{ seconds: string | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.ended_at - c.answered_at)) AS seconds
     FROM calls c WHERE c.provider = 'app' AND c.answered_at IS NOT NULL AND c.ended_at > $1`,
    [since],
  );
  const seconds = Number(result.rows[0]?.seconds ?? Number.NaN);
  return Number.isFinite(seconds) ? seconds : undefined;
}
