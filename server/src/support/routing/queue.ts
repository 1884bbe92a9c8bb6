import type { QueueInfo } from '@okpay/contracts';
import type pg from 'pg';

type Queryable = pg.Pool | pg.PoolClient;

/** Default handle time before there is history to learn from. */
const defaultHandleSeconds = 300;

/**
 * Typical minutes an agent spends on a chat: the median of the last week's resolved chats,
 * bounded to something believable.
 */
export async function typicalHandleSeconds(db: Queryable): Promise<number> {
  const result = await db.query<{ seconds: string | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) AS seconds
     FROM conversations WHERE channel = 'chat' AND resolved_at IS NOT NULL AND resolved_at > now() - interval '7 days'`,
  );
  const seconds = Number(result.rows[0]?.seconds ?? Number.NaN);
  return Number.isFinite(seconds) ? Math.min(1800, Math.max(60, Math.round(seconds))) : defaultHandleSeconds;
}

export async function onlineAgentCount(db: Queryable): Promise<number> {
  const result = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM agent_presence p JOIN staff_members s ON s.id = p.staff_id WHERE p.status = 'online' AND s.is_active AND s.chat_capacity > 0",
  );
  return result.rows[0]?.n ?? 0;
}

/** Online agents with a free chat slot right now: a new chat would be answered without queueing. */
export async function freeAgentCount(db: Queryable): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT s.id FROM staff_members s
       JOIN agent_presence p ON p.staff_id = s.id AND p.status = 'online'
       LEFT JOIN conversations c ON c.assignee_id = s.id AND c.channel = 'chat' AND c.status IN ('open', 'pending')
       WHERE s.is_active GROUP BY s.id, s.chat_capacity HAVING count(c.id) < s.chat_capacity) free`,
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * Queue position and an honest wait: chats ahead of you, shared among the agents online, each
 * taking a typical handle time to free a slot.
 */
export function estimateWait(position: number, agentsOnline: number, handleSeconds: number): number {
  if (position <= 0) return 0;
  return Math.ceil(position / Math.max(1, agentsOnline)) * handleSeconds;
}

/** The live-chat queue, in order: email waits in the same way but nobody is shown a place in line for it. */
export async function waitingQueue(db: Queryable): Promise<Array<{ id: string; position: number }>> {
  const result = await db.query<{ id: string; position: string }>(
    `SELECT id, row_number() OVER (ORDER BY waiting_since, id) AS position
     FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL AND status IN ('open', 'pending') AND channel = 'chat'
     ORDER BY waiting_since, id`,
  );
  return result.rows.map((row) => ({ id: row.id, position: Number(row.position) }));
}

export async function queueInfoFor(db: Queryable, conversationId: string): Promise<QueueInfo | null> {
  const queue = await waitingQueue(db);
  const entry = queue.find((item) => item.id === conversationId);
  if (!entry) return null;
  const [agentsOnline, handleSeconds] = await Promise.all([onlineAgentCount(db), typicalHandleSeconds(db)]);
  return { position: entry.position, agentsOnline, estimatedWaitSeconds: estimateWait(entry.position, agentsOnline, handleSeconds) };
}
