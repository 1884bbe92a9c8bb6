import { eq } from 'drizzle-orm';
import { batchRows, insertBatchRowsSql, type Queryable, rowFrom, type Transaction } from '../../platform/index.js';
import { slaClocks, slaConversations, slaPolicies } from './sla.tables.js';
import type { SlaClockRow, SlaConversation, SlaProjection } from './sla-clock.js';
import type { SlaTargetName, StoredSlaPolicy } from './sla-policies.js';

export async function loadStoredPolicies(db: Queryable): Promise<StoredSlaPolicy[]> {
  return db.select().from(slaPolicies);
}

export async function upsertSlaPolicy(db: Queryable, policy: typeof slaPolicies.$inferInsert): Promise<void> {
  const { name, ...values } = policy;
  await db
    .insert(slaPolicies)
    .values({ name, ...values })
    .onConflictDoUpdate({ target: slaPolicies.name, set: values });
}

/** Deletes a stored policy; false when there was none by that name. */
export async function deleteSlaPolicy(db: Queryable, name: string): Promise<boolean> {
  const rows = await db.delete(slaPolicies).where(eq(slaPolicies.name, name)).returning({ name: slaPolicies.name });
  return rows.length > 0;
}

type ClockRecord = Record<string, unknown> & { conversation_id: string };

const clockColumns =
  'target, policy_name, clock, calendar_name, target_ms, cycle, state, paused_reason, started_at, resumed_at, elapsed_ms, due_at, warn_at, stopped_at, warned_cycle, breached_cycle, announced_cycle';

function toClock(row: ClockRecord): SlaClockRow {
  const { conversationId: _, ...clock } = rowFrom(slaClocks, row);
  return clock;
}

type ConversationRecord = Record<string, unknown> & { conversation_id: string };

function toConversation(row: ConversationRecord): SlaConversation {
  const { conversationId: _, ...conversation } = rowFrom(slaConversations, row);
  return conversation;
}

/** The clock context and clocks of conversations, locked for the caller's transaction (in id order, two statements for any number). */
export async function lockConversationClocks(
  tx: Transaction,
  conversationIds: readonly string[],
): Promise<Map<string, { conversation: SlaConversation | undefined; clocks: Map<SlaTargetName, SlaClockRow> }>> {
  const contexts = await tx.$client.query<ConversationRecord>({
    name: 'okpay_sla_lock_conversations',
    text: 'SELECT * FROM sla_conversations WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id FOR UPDATE',
    values: [conversationIds],
  });
  const clocks = await tx.$client.query<ClockRecord>({
    name: 'okpay_sla_lock_clocks',
    text: `SELECT conversation_id, ${clockColumns} FROM sla_clocks WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id, target FOR UPDATE`,
    values: [conversationIds],
  });
  const found = new Map(
    conversationIds.map((id) => [
      id,
      { conversation: undefined as SlaConversation | undefined, clocks: new Map<SlaTargetName, SlaClockRow>() },
    ]),
  );
  for (const row of contexts.rows) {
    const entry = found.get(row.conversation_id);
    if (entry) entry.conversation = toConversation(row);
  }
  for (const row of clocks.rows) {
    const clock = toClock(row);
    found.get(row.conversation_id)?.clocks.set(clock.target, clock);
  }
  return found;
}

/**
 * What the conversation rows say now: the clocks' context for conversations whose history began
 * before the clocks, and the assignee that outcomes are recorded with.
 */
export async function conversationsAsTheyAre(
  db: Queryable,
  conversationIds: readonly string[],
): Promise<Map<string, SlaConversation & { assigneeId: string | null }>> {
  const found = await db.$client.query<{
    id: string;
    channel: string;
    priority: string;
    category: string;
    status: string;
    replied: boolean;
    assignee_id: string | null;
  }>({
    name: 'okpay_sla_conversations_as_they_are',
    text: `SELECT id, channel, priority, category, status, first_response_at IS NOT NULL AS replied, assignee_id
      FROM conversations WHERE id = ANY($1::uuid[])`,
    values: [conversationIds],
  });
  return new Map(
    found.rows.map((row) => [
      row.id,
      {
        channel: row.channel,
        priority: row.priority,
        category: row.category,
        status: row.status,
        hasAgentReplied: row.replied,
        createdEventId: null,
        rulesVersion: '',
        assigneeId: row.assignee_id,
      },
    ]),
  );
}

export type ClockChanges = {
  /** Clock contexts that are new or changed. */
  conversations: Array<{ id: string; conversation: SlaConversation }>;
  /** Clocks that are new or changed. */
  clocks: Array<{ id: string; clock: SlaClockRow }>;
};

/**
 * Stores what the clocks' subscriber changed, one statement per table for any number of
 * conversations. The conversation rows' projection is saveProjections', kept for last: it locks
 * conversation rows, which the chat's writer then skips until the transaction commits.
 */
export async function saveClockChanges(tx: Transaction, changes: ClockChanges): Promise<void> {
  const { conversations, clocks } = changes;
  if (conversations.length > 0) {
    await tx.$client.query({
      name: 'okpay_sla_save_conversations',
      text: `INSERT INTO sla_conversations (conversation_id, channel, priority, category, status, has_agent_replied, created_event_id, rules_version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[], $8::text[])
       ON CONFLICT (conversation_id) DO UPDATE SET channel = excluded.channel, priority = excluded.priority,
         category = excluded.category, status = excluded.status, has_agent_replied = excluded.has_agent_replied,
         created_event_id = excluded.created_event_id, rules_version = excluded.rules_version`,
      values: [
        conversations.map((item) => item.id),
        conversations.map((item) => item.conversation.channel),
        conversations.map((item) => item.conversation.priority),
        conversations.map((item) => item.conversation.category),
        conversations.map((item) => item.conversation.status),
        conversations.map((item) => item.conversation.hasAgentReplied),
        conversations.map((item) => item.conversation.createdEventId),
        conversations.map((item) => item.conversation.rulesVersion),
      ],
    });
  }
  if (clocks.length === 0) return;
  const column = <K extends keyof SlaClockRow>(key: K) => clocks.map((item) => item.clock[key]);
  await tx.$client.query({
    name: 'okpay_sla_save_clocks',
    text: `INSERT INTO sla_clocks (conversation_id, ${clockColumns})
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[], $8::text[], $9::text[],
       $10::timestamptz[], $11::timestamptz[], $12::bigint[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[],
       $16::int[], $17::int[], $18::int[])
     ON CONFLICT (conversation_id, target) DO UPDATE SET policy_name = excluded.policy_name, clock = excluded.clock,
       calendar_name = excluded.calendar_name, target_ms = excluded.target_ms, cycle = excluded.cycle, state = excluded.state,
       paused_reason = excluded.paused_reason, started_at = excluded.started_at, resumed_at = excluded.resumed_at,
       elapsed_ms = excluded.elapsed_ms, due_at = excluded.due_at, warn_at = excluded.warn_at, stopped_at = excluded.stopped_at,
       warned_cycle = greatest(sla_clocks.warned_cycle, excluded.warned_cycle),
       breached_cycle = greatest(sla_clocks.breached_cycle, excluded.breached_cycle),
       announced_cycle = greatest(sla_clocks.announced_cycle, excluded.announced_cycle)`,
    values: [
      clocks.map((item) => item.id),
      column('target'),
      column('policyName'),
      column('clock'),
      column('calendarName'),
      column('targetMs'),
      column('cycle'),
      column('state'),
      column('pausedReason'),
      column('startedAt'),
      column('resumedAt'),
      column('elapsedMs'),
      column('dueAt'),
      column('warnAt'),
      column('stoppedAt'),
      column('warnedCycle'),
      column('breachedCycle'),
      column('announcedCycle'),
    ],
  });
}

/** The conversation rows' next due time and risk (the inbox's order and the queue), rows that already say so left alone. */
export async function saveProjections(tx: Transaction, projection: ReadonlyArray<SlaProjection & { id: string }>): Promise<void> {
  if (projection.length === 0) return;
  await tx.$client.query({
    name: 'okpay_sla_save_projections',
    text: `UPDATE conversations c SET response_due_at = u.reply_due, sla_due_at = u.next_due, sla_risk = u.risk
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::int[]) AS u(id, reply_due, next_due, risk)
       WHERE c.id = u.id AND (c.response_due_at IS DISTINCT FROM u.reply_due OR c.sla_due_at IS DISTINCT FROM u.next_due OR c.sla_risk <> u.risk)`,
    values: [
      projection.map((item) => item.id),
      projection.map((item) => item.replyDue),
      projection.map((item) => item.nextDue),
      projection.map((item) => item.risk),
    ],
  });
}

/** Every clock of a conversation, for the console. */
export async function listConversationClocks(db: Queryable, conversationIds: readonly string[]): Promise<Map<string, SlaClockRow[]>> {
  const found = await db.$client.query<ClockRecord>(
    `SELECT conversation_id, ${clockColumns} FROM sla_clocks WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id, target`,
    [conversationIds],
  );
  const clocks = new Map<string, SlaClockRow[]>();
  for (const row of found.rows) {
    const list = clocks.get(row.conversation_id) ?? [];
    list.push(toClock(row));
    clocks.set(row.conversation_id, list);
  }
  return clocks;
}

export type DueKind = 'breached' | 'warning';

const prefixedClockColumns = clockColumns
  .split(', ')
  .map((column) => `s.${column}`)
  .join(', ');

// Clocks whose due (or warning) instant has passed and that have not said so in this run, locked
// so that two nodes never announce one twice; other work on a clock (its subscriber) is skipped
// until the next tick.
const pickStatement = (kind: DueKind) => `
WITH picked AS (
  SELECT conversation_id, target FROM sla_clocks
  WHERE state = 'running' AND ${kind === 'breached' ? 'breached_cycle < cycle AND due_at <= $1' : 'warned_cycle < cycle AND warn_at <= $1 AND breached_cycle < cycle'}
  ORDER BY ${kind === 'breached' ? 'due_at' : 'warn_at'} LIMIT $2 FOR UPDATE SKIP LOCKED
)
UPDATE sla_clocks s SET ${kind === 'breached' ? 'breached_cycle = s.cycle, warned_cycle = s.cycle' : 'warned_cycle = s.cycle'}
FROM picked WHERE s.conversation_id = picked.conversation_id AND s.target = picked.target
RETURNING s.conversation_id, ${prefixedClockColumns}`;

/** Takes the clocks that fell due (or reached their warning) by `now` and marks them announced for this cycle. */
export async function takeDueClocks(
  tx: Transaction,
  kind: DueKind,
  now: Date,
  limit: number,
): Promise<Array<{ conversationId: string; clock: SlaClockRow }>> {
  const picked = await tx.$client.query<ClockRecord>(pickStatement(kind), [now, limit]);
  return picked.rows.map((row) => ({ conversationId: row.conversation_id, clock: toClock(row) }));
}

/** Raises conversations in the queue (1 warned, 2 breached): the inbox and routing put them first. */
export async function raiseConversationRisk(
  tx: Transaction,
  conversationIds: readonly string[],
  risk: number,
): Promise<Map<string, { channel: string; priority: string; assigneeId: string | null }>> {
  const raised = await tx.$client.query<{ id: string; channel: string; priority: string; assignee_id: string | null }>(
    `UPDATE conversations c SET sla_risk = greatest(c.sla_risk, $2)
     FROM (SELECT DISTINCT unnest($1::uuid[]) AS id) raised WHERE c.id = raised.id
     RETURNING c.id, c.channel, c.priority, c.assignee_id`,
    [conversationIds, risk],
  );
  return new Map(raised.rows.map((row) => [row.id, { channel: row.channel, priority: row.priority, assigneeId: row.assignee_id }]));
}

/** Open conversations whose clocks were computed under other rules, locked, with their running and paused clocks. */
export async function lockStaleConversations(
  tx: Transaction,
  version: string,
  limit: number,
): Promise<Array<{ conversationId: string; conversation: SlaConversation; clocks: Map<SlaTargetName, SlaClockRow> }>> {
  // Two ranges rather than <>, so the index skips the conversations already done instead of reading past them.
  const stale = await tx.$client.query<ConversationRecord>(
    `SELECT * FROM sla_conversations
     WHERE status IN ('open', 'pending') AND (rules_version < $1 OR rules_version > $1)
     LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [version, limit],
  );
  if (stale.rows.length === 0) return [];
  const ids = stale.rows.map((row) => row.conversation_id);
  // Their clocks change only under the conversation's row lock (held here), apart from the
  // announcement counters, which the caller leaves alone.
  const found = await tx.$client.query<ClockRecord>(
    `SELECT conversation_id, ${clockColumns} FROM sla_clocks WHERE conversation_id = ANY($1::uuid[]) AND state IN ('running', 'paused')`,
    [ids],
  );
  const byConversation = new Map<string, Map<SlaTargetName, SlaClockRow>>();
  for (const row of found.rows) {
    const clock = toClock(row);
    const clocks = byConversation.get(row.conversation_id) ?? new Map<SlaTargetName, SlaClockRow>();
    clocks.set(clock.target, clock);
    byConversation.set(row.conversation_id, clocks);
  }
  return stale.rows.map((row) => ({
    conversationId: row.conversation_id,
    conversation: toConversation(row),
    clocks: byConversation.get(row.conversation_id) ?? new Map(),
  }));
}

/** Re-evaluated conversations: their rules version, the clocks whose targets or due times moved, and the conversation rows' projection. */
export async function saveRescheduled(
  tx: Transaction,
  input: {
    conversationIds: readonly string[];
    version: string;
    changed: ReadonlyArray<{ id: string; clock: SlaClockRow }>;
    projection: ReadonlyArray<SlaProjection & { id: string }>;
  },
): Promise<void> {
  const { changed, projection } = input;
  await tx.$client.query('UPDATE sla_conversations SET rules_version = $2 WHERE conversation_id = ANY($1::uuid[])', [
    input.conversationIds,
    input.version,
  ]);
  if (changed.length > 0) {
    await tx.$client.query(
      `UPDATE sla_clocks s SET policy_name = u.policy_name, clock = u.clock, calendar_name = u.calendar_name,
         target_ms = u.target_ms, due_at = u.due_at, warn_at = u.warn_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[], $8::timestamptz[])
         AS u(conversation_id, target, policy_name, clock, calendar_name, target_ms, due_at, warn_at)
       WHERE s.conversation_id = u.conversation_id AND s.target = u.target`,
      [
        changed.map((item) => item.id),
        changed.map((item) => item.clock.target),
        changed.map((item) => item.clock.policyName),
        changed.map((item) => item.clock.clock),
        changed.map((item) => item.clock.calendarName),
        changed.map((item) => item.clock.targetMs),
        changed.map((item) => item.clock.dueAt),
        changed.map((item) => item.clock.warnAt),
      ],
    );
  }
  await saveProjections(tx, projection);
}

// Warnings and breaches go on the conversation's timeline; every outcome is published to the
// outbox as support.sla.<kind>, one outbox row per kind for any number of them.
// The timeline keeps warnings and breaches (not what was met); the outbox gets every outcome, one
// row per kind, its JSON made by the caller (batchRows). One text per number of kinds (three at most).
const recordOutcomesStatement = (kinds: number) => `
WITH timeline AS (
  INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at)
  SELECT conversation_id, 'sla_' || kind, 'system', NULL, data, at
  FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[]) AS t(conversation_id, kind, data, at)
)
${insertBatchRowsSql(5, kinds)}`;

/** Timeline entries and outbox events for SLA outcomes, in the caller's transaction. */
export async function insertSlaOutcomes(
  tx: Transaction,
  outcomes: ReadonlyArray<{ conversationId: string; kind: string; payload: Record<string, unknown>; at: Date }>,
): Promise<void> {
  if (outcomes.length === 0) return;
  const onTimeline = outcomes.filter((outcome) => outcome.kind !== 'met');
  const rows = batchRows(
    outcomes.map((outcome) => ({
      type: `support.sla.${outcome.kind}`,
      subjectType: 'conversation',
      subjectId: outcome.conversationId,
      payload: { conversationId: outcome.conversationId, actorType: 'system', actorId: null, ...outcome.payload },
      occurredAt: outcome.at,
    })),
  );
  await tx.$client.query({
    name: `okpay_sla_record_outcomes_${rows.length}`,
    text: recordOutcomesStatement(rows.length),
    values: [
      onTimeline.map((outcome) => outcome.conversationId),
      onTimeline.map((outcome) => outcome.kind),
      onTimeline.map((outcome) => JSON.stringify(outcome.payload)),
      onTimeline.map((outcome) => outcome.at),
      ...rows.flat(),
    ],
  });
}

export type AtRiskRecord = {
  conversationId: string;
  clock: SlaClockRow;
  channel: string;
  priority: string;
  status: string;
  subject: string | null;
  assigneeId: string | null;
  customerName: string | null;
  assigneeName: string | null;
};

/** Running clocks past their warning share or due, by due time, with the totals of each. */
export async function listAtRiskClocks(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<{ records: AtRiskRecord[]; total: number; breached: number }> {
  const found = await db.$client.query<
    ClockRecord & {
      conversation_id: string;
      conversation_channel: string;
      conversation_priority: string;
      conversation_status: string;
      subject: string | null;
      assignee_id: string | null;
      customer_name: string | null;
      assignee_name: string | null;
      breached_total: string;
      total: string;
    }
  >(
    `SELECT s.conversation_id, ${prefixedClockColumns},
       c.channel AS conversation_channel, c.priority AS conversation_priority, c.status AS conversation_status, c.subject, c.assignee_id,
       coalesce(cu.display_name, c.contact_name) AS customer_name, st.display_name AS assignee_name,
       count(*) FILTER (WHERE s.due_at <= $1) OVER () AS breached_total, count(*) OVER () AS total
     FROM sla_clocks s
     JOIN conversations c ON c.id = s.conversation_id
     LEFT JOIN customers cu ON cu.id = c.customer_id
     LEFT JOIN staff_members st ON st.id = c.assignee_id
     WHERE s.state = 'running' AND (s.warn_at <= $1 OR s.due_at <= $1)
     ORDER BY s.due_at ASC NULLS LAST
     LIMIT $2`,
    [now, limit],
  );
  return {
    records: found.rows.map((row) => ({
      conversationId: row.conversation_id,
      clock: toClock(row),
      channel: row.conversation_channel,
      priority: row.conversation_priority,
      status: row.conversation_status,
      subject: row.subject,
      assigneeId: row.assignee_id,
      customerName: row.customer_name,
      assigneeName: row.assignee_name,
    })),
    total: Number(found.rows[0]?.total ?? 0),
    breached: Number(found.rows[0]?.breached_total ?? 0),
  };
}
