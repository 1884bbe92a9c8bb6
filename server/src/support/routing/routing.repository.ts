import type { PresenceStatus } from '@okpay/contracts';
import { and, asc, count, eq, inArray, lt, sql } from 'drizzle-orm';
import { staffMembers } from '../../identity/index.js';
import { type Queryable, rowFrom } from '../../platform/index.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { agentPresence, conversations } from '../support.tables.js';

export type AgentPresenceRow = typeof agentPresence.$inferSelect;
/** A staff member with their availability and how many live chats they hold now. */
export type AgentLoad = {
  id: string;
  name: string;
  role: (typeof staffMembers.$inferSelect)['role'];
  capacity: number;
  status: PresenceStatus;
  lastActiveAt: Date | null;
  load: number;
};

const liveChat = and(eq(conversations.channel, 'chat'), inArray(conversations.status, ['open', 'pending']));

// ---- Presence ----------------------------------------------------------------------------------

export async function savePresence(
  db: Queryable,
  input: { staffId: string; status: PresenceStatus; source: AgentPresenceRow['statusSource']; at: Date },
): Promise<void> {
  await db
    .insert(agentPresence)
    .values({ staffId: input.staffId, status: input.status, statusSource: input.source, lastActiveAt: input.at, updatedAt: input.at })
    .onConflictDoUpdate({
      target: agentPresence.staffId,
      set: {
        status: input.status,
        statusSource: input.source,
        updatedAt: input.at,
        // Only the agent's own choice counts as activity; the away timer and a dropped connection do not.
        ...(input.source === 'manual' ? { lastActiveAt: input.at } : {}),
      },
    });
}

export async function findPresence(db: Queryable, staffId: string): Promise<AgentPresenceRow | undefined> {
  const [row] = await db.select().from(agentPresence).where(eq(agentPresence.staffId, staffId));
  return row;
}

/** Refreshes the inactivity timer; an agent the timer had set away is online again. Answers whether that happened. */
export async function touchPresence(db: Queryable, staffId: string, at: Date): Promise<boolean> {
  const result = await db.$client.query<{ was_idle: boolean }>({
    name: 'okpay_touch_agent',
    text: `UPDATE agent_presence p SET last_active_at = $2,
       status = CASE WHEN old.was_idle THEN 'online' ELSE p.status END,
       status_source = CASE WHEN old.was_idle THEN 'manual' ELSE p.status_source END
     FROM (SELECT status = 'away' AND status_source = 'inactivity' AS was_idle FROM agent_presence WHERE staff_id = $1 FOR UPDATE) old
     WHERE p.staff_id = $1 RETURNING old.was_idle`,
    values: [staffId, at],
  });
  return result.rows[0]?.was_idle === true;
}

/** Online agents idle since before `cutoff` become away; answers who. */
export async function markIdleAway(db: Queryable, cutoff: Date, at: Date): Promise<string[]> {
  const rows = await db
    .update(agentPresence)
    .set({ status: 'away', statusSource: 'inactivity', updatedAt: at })
    .where(and(eq(agentPresence.status, 'online'), lt(agentPresence.lastActiveAt, cutoff)))
    .returning({ staffId: agentPresence.staffId });
  return rows.map((row) => row.staffId);
}

export async function setLastAssigned(db: Queryable, staffId: string, at: Date): Promise<void> {
  await db.update(agentPresence).set({ lastAssignedAt: at }).where(eq(agentPresence.staffId, staffId));
}

/** Active staff with their presence and load, by name. */
export async function listAgentLoads(db: Queryable): Promise<AgentLoad[]> {
  return db
    .select({
      id: staffMembers.id,
      name: staffMembers.displayName,
      role: staffMembers.role,
      capacity: staffMembers.chatCapacity,
      status: sql<PresenceStatus>`coalesce(${agentPresence.status}, 'offline')`,
      lastActiveAt: agentPresence.lastActiveAt,
      load: count(conversations.id),
    })
    .from(staffMembers)
    .leftJoin(agentPresence, eq(agentPresence.staffId, staffMembers.id))
    .leftJoin(conversations, and(eq(conversations.assigneeId, staffMembers.id), liveChat))
    .where(eq(staffMembers.isActive, true))
    .groupBy(staffMembers.id, agentPresence.status, agentPresence.lastActiveAt)
    .orderBy(asc(staffMembers.displayName));
}

// ---- The queue ---------------------------------------------------------------------------------

/** The chats of an agent going offline go back to the front of the queue (by when they first waited). */
export async function releaseAgentChats(db: Queryable, staffId: string, at: Date): Promise<ConversationRow[]> {
  return db
    .update(conversations)
    .set({ assigneeId: null, waitingSince: sql`${conversations.createdAt}`, updatedAt: at })
    .where(and(eq(conversations.assigneeId, staffId), liveChat))
    .returning();
}

/** The head of each channel's line (chat, email and phone callbacks, up to `perChannel` each), together: a breached SLA first, then a warned one, then arrival order. */
export async function listWaitingConversations(db: Queryable, perChannel: number): Promise<ConversationRow[]> {
  const result = await db.$client.query(
    `(SELECT * FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending')
        AND channel = 'chat' ORDER BY sla_risk DESC, waiting_since, id LIMIT $1)
     UNION ALL
     (SELECT * FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending')
        AND channel = 'email' ORDER BY sla_risk DESC, waiting_since, id LIMIT $1)
     UNION ALL
     (SELECT * FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending')
        AND channel = 'phone' ORDER BY sla_risk DESC, waiting_since, id LIMIT $1)
     ORDER BY sla_risk DESC, waiting_since, id`,
    [perChannel],
  );
  return result.rows.map((row) => rowFrom(conversations, row));
}

// The online agent with the fewest open conversations of this channel below their capacity for it
// (chat capacity per agent; email capacity $3 for everyone; one phone callback at a time), other than $1 (who handed this one
// back); ties go to who waited longest.
const pickAgent = `
SELECT s.id, s.display_name, count(c.id)::int AS load
FROM staff_members s
JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
LEFT JOIN conversations c ON c.assignee_id = s.id AND c.channel = $2 AND c.status IN ('open', 'pending')
WHERE s.is_active AND s.id IS DISTINCT FROM $1::uuid
GROUP BY s.id, s.display_name, s.chat_capacity, p.last_assigned_at
HAVING count(c.id) < CASE WHEN $2 = 'chat' THEN s.chat_capacity WHEN $2 = 'phone' THEN 1 ELSE $3::int END
ORDER BY count(c.id), p.last_assigned_at NULLS FIRST, s.id
LIMIT 1`;

export async function findFreeAgent(
  db: Queryable,
  input: { passOver: string | null; channel: ConversationRow['channel']; emailCapacity: number },
): Promise<{ id: string; displayName: string } | undefined> {
  const result = await db.$client.query<{ id: string; display_name: string }>({
    name: 'okpay_pick_agent',
    text: pickAgent,
    values: [input.passOver, input.channel, input.emailCapacity],
  });
  const row = result.rows[0];
  return row ? { id: row.id, displayName: row.display_name } : undefined;
}

/** Assigns a chat that still waits (taking a chat by hand does not hold the routing lock); undefined otherwise. */
export async function assignWaitingChat(
  db: Queryable,
  conversationId: string,
  agentId: string,
  at: Date,
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ assigneeId: agentId, waitingSince: null, returnedBy: null, returnedAt: null, updatedAt: at })
    .where(
      and(
        eq(conversations.id, conversationId),
        sql`${conversations.assigneeId} IS NULL`,
        sql`${conversations.waitingSince} IS NOT NULL`,
        inArray(conversations.status, ['open', 'pending']),
      ),
    )
    .returning();
  return row;
}

/**
 * Typical seconds an agent spends on a chat: the median of the last week's resolved chats, or
 * undefined without history.
 */
export async function medianHandleSeconds(db: Queryable): Promise<number | undefined> {
  const result = await db.$client.query<{ seconds: string | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) AS seconds
     FROM conversations WHERE channel = 'chat' AND resolved_at IS NOT NULL AND resolved_at > now() - interval '7 days'`,
  );
  const seconds = Number(result.rows[0]?.seconds ?? Number.NaN);
  return Number.isFinite(seconds) ? seconds : undefined;
}

export async function countOnlineAgents(db: Queryable): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(agentPresence)
    .innerJoin(staffMembers, eq(staffMembers.id, agentPresence.staffId))
    .where(and(eq(agentPresence.status, 'online'), eq(staffMembers.isActive, true), sql`${staffMembers.chatCapacity} > 0`));
  return row?.n ?? 0;
}

/** Online agents with a free chat slot right now. */
export async function countFreeAgents(db: Queryable): Promise<number> {
  const result = await db.$client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT s.id FROM staff_members s
       JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
       LEFT JOIN conversations c ON c.assignee_id = s.id AND c.channel = 'chat' AND c.status IN ('open', 'pending')
       WHERE s.is_active GROUP BY s.id, s.chat_capacity HAVING count(c.id) < s.chat_capacity) free`,
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * Waiting chats with their place in the queue (1 = next; a breached SLA first, as routing takes them). Email waits in the same way but nobody
 * is shown a place in line for it.
 */
export async function listQueuePositions(db: Queryable): Promise<Array<{ id: string; position: number }>> {
  const result = await db.$client.query<{ id: string; position: string }>(
    `SELECT id, row_number() OVER (ORDER BY sla_risk DESC, waiting_since, id) AS position
     FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending') AND channel = 'chat'
     ORDER BY sla_risk DESC, waiting_since, id`,
  );
  return result.rows.map((row) => ({ id: row.id, position: Number(row.position) }));
}
