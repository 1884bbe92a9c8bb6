import type { NotificationPreferences, PushNotificationKind } from '@okpay/contracts';
import { and, asc, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { formatMinute } from '../hours/zoned-time.js';
import { notificationPreferences, pushDeliveries, pushSubscriptions } from './push.tables.js';
import type { QuietMinutes } from './quiet-hours.js';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type NewPushSubscription = Omit<typeof pushSubscriptions.$inferInsert, 'id' | 'createdAt' | 'lastSentAt'>;
export type PushDeliveryRow = typeof pushDeliveries.$inferSelect;
export type DeliveryStatus = 'queued' | 'sent' | 'skipped' | 'failed';

/** A customer keeps at most this many devices; the one heard from longest ago makes room. */
export const maxDevicesPerCustomer = 20;

// Subscriptions

/** What subscribing again (or the app opening) brings up to date on a device's row. */
function refreshed(values: NewPushSubscription) {
  return {
    sessionId: values.sessionId,
    p256dh: values.p256dh,
    auth: values.auth,
    expiresAt: values.expiresAt,
    userAgent: values.userAgent,
    timeZone: values.timeZone,
    locale: values.locale,
    updatedAt: values.updatedAt,
  };
}

/** One row per browser (endpoint): subscribing again updates keys, session, zone and language. */
export async function upsertSubscription(db: Queryable, values: NewPushSubscription): Promise<PushSubscriptionRow> {
  const [row] = await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { customerId: values.customerId, ...refreshed(values) } })
    .returning();
  return row as PushSubscriptionRow;
}

/** Refreshes a device that is still subscribed for this customer; undefined once it was removed. */
export async function renewSubscription(db: Queryable, values: NewPushSubscription): Promise<PushSubscriptionRow | undefined> {
  const [row] = await db
    .update(pushSubscriptions)
    .set(refreshed(values))
    .where(and(eq(pushSubscriptions.endpoint, values.endpoint), eq(pushSubscriptions.customerId, values.customerId)))
    .returning();
  return row;
}

export async function trimDevices(db: Queryable, customerId: string): Promise<void> {
  const keep = db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.customerId, customerId))
    .orderBy(desc(pushSubscriptions.updatedAt))
    .limit(maxDevicesPerCustomer);
  await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.customerId, customerId), notInArray(pushSubscriptions.id, keep)));
}

/** Of these conversations, those whose customer has a device to notify, with what the notifications say. */
export async function conversationsWithDevices(
  db: Queryable,
  conversationIds: readonly string[],
): Promise<Map<string, { customerId: string; isEmail: boolean; answered: boolean }>> {
  const found = await db.$client.query<{ id: string; customer_id: string; is_email: boolean; answered: boolean }>({
    name: 'okpay_push_conversations_with_devices',
    text: `SELECT c.id, c.customer_id, c.channel = 'email' OR c.is_offline_message AS is_email, c.first_response_at IS NOT NULL AS answered
      FROM conversations c WHERE c.id = ANY($1::uuid[])
      AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.customer_id = c.customer_id)`,
    values: [conversationIds],
  });
  return new Map(found.rows.map((row) => [row.id, { customerId: row.customer_id, isEmail: row.is_email, answered: row.answered }]));
}

export async function listSubscriptions(db: Queryable, customerId: string): Promise<PushSubscriptionRow[]> {
  return db.select().from(pushSubscriptions).where(eq(pushSubscriptions.customerId, customerId)).orderBy(asc(pushSubscriptions.createdAt));
}

export async function deleteSubscription(
  db: Queryable,
  where: { customerId: string } & ({ id: string } | { endpoint: string }),
): Promise<boolean> {
  const match = 'id' in where ? eq(pushSubscriptions.id, where.id) : eq(pushSubscriptions.endpoint, where.endpoint);
  const removed = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.customerId, where.customerId), match))
    .returning({ id: pushSubscriptions.id });
  return removed.length > 0;
}

/** The push service said the subscription is gone (404/410): the browser unsubscribed or expired it. */
export async function dropExpiredSubscription(db: Queryable, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

// Preferences

const defaultPreferences: NotificationPreferences = {
  push: { agent_reply: true, email_reply: true, resolved: true, waiting: true, callback_soon: true },
  quietHours: null,
};

export type StoredPreferences = NotificationPreferences & { quiet: QuietMinutes | null };

export async function findPreferences(db: Queryable, customerId: string): Promise<StoredPreferences> {
  const [row] = await db.select().from(notificationPreferences).where(eq(notificationPreferences.customerId, customerId));
  if (!row) return { ...defaultPreferences, quiet: null };
  const quiet =
    row.quietStartMinute === null || row.quietEndMinute === null ? null : { start: row.quietStartMinute, end: row.quietEndMinute };
  return {
    push: {
      agent_reply: row.pushAgentReply,
      email_reply: row.pushEmailReply,
      resolved: row.pushResolved,
      waiting: row.pushWaiting,
      callback_soon: row.pushCallbackSoon,
    },
    quietHours: quiet ? { start: formatMinute(quiet.start), end: formatMinute(quiet.end) } : null,
    quiet,
  };
}

/** One statement: a kind left out keeps its stored choice (on for a customer who never chose). */
export async function savePreferences(
  db: Queryable,
  customerId: string,
  preferences: { push: Partial<NotificationPreferences['push']>; quiet: QuietMinutes | null },
  at: Date,
): Promise<void> {
  const { push } = preferences;
  const values = {
    pushAgentReply: push.agent_reply,
    pushEmailReply: push.email_reply,
    pushResolved: push.resolved,
    pushWaiting: push.waiting,
    pushCallbackSoon: push.callback_soon,
    quietStartMinute: preferences.quiet?.start ?? null,
    quietEndMinute: preferences.quiet?.end ?? null,
    updatedAt: at,
  };
  // Drizzle inserts DEFAULT for an undefined value and leaves it out of the update.
  await db
    .insert(notificationPreferences)
    .values({ customerId, ...values })
    .onConflictDoUpdate({ target: notificationPreferences.customerId, set: values });
}

// Deliveries

/** A new delivery, or undefined when this device was already told about this fact. */
export async function insertDelivery(
  db: Queryable,
  values: {
    subscriptionId: string;
    conversationId: string;
    kind: PushNotificationKind;
    dedupeKey: string;
    facts: Record<string, unknown>;
    sendAfter: Date;
    createdAt: Date;
    /** A notice decided against when queued (`skipped` with why), kept for the record. */
    status?: 'skipped';
    outcome?: string;
  },
): Promise<string | undefined> {
  const [row] = await db
    .insert(pushDeliveries)
    .values(values)
    .onConflictDoNothing({ target: [pushDeliveries.subscriptionId, pushDeliveries.dedupeKey] })
    .returning({ id: pushDeliveries.id });
  return row?.id;
}

export async function findDelivery(
  db: Queryable,
  id: string,
): Promise<{ delivery: PushDeliveryRow; subscription: PushSubscriptionRow } | undefined> {
  const [row] = await db
    .select({ delivery: pushDeliveries, subscription: pushSubscriptions })
    .from(pushDeliveries)
    .innerJoin(pushSubscriptions, eq(pushSubscriptions.id, pushDeliveries.subscriptionId))
    .where(eq(pushDeliveries.id, id));
  return row;
}

export async function countAttempt(db: Queryable, id: string): Promise<number> {
  const [row] = await db
    .update(pushDeliveries)
    .set({ attempts: sql`${pushDeliveries.attempts} + 1` })
    .where(eq(pushDeliveries.id, id))
    .returning({ attempts: pushDeliveries.attempts });
  return row?.attempts ?? 0;
}

export async function finishDelivery(
  db: Queryable,
  id: string,
  status: Exclude<DeliveryStatus, 'queued'>,
  outcome: string,
  at: Date,
): Promise<void> {
  await db
    .update(pushDeliveries)
    .set({ status, outcome, sentAt: status === 'sent' ? at : null })
    .where(and(eq(pushDeliveries.id, id), eq(pushDeliveries.status, 'queued')));
}

/** What is sent (or not) is kept 30 days, for support to answer "I never got a notification". */
export async function pruneDeliveries(db: Queryable): Promise<number> {
  const removed = await db.$client.query("DELETE FROM push_deliveries WHERE created_at < now() - interval '30 days'");
  return removed.rowCount ?? 0;
}

export type LongWait = { conversationId: string; customerId: string; since: Date };

/**
 * Customers with a device whose last message has waited past the threshold without an answer, and
 * who have not been told about this wait yet (nor turned such notices off). Waits older than a week
 * are left alone.
 */
export async function listLongWaits(db: Queryable, at: Date, thresholds: { chatMinutes: number; emailHours: number }): Promise<LongWait[]> {
  const found = await db.$client.query<{ id: string; customer_id: string; last_customer_message_at: Date }>(
    `SELECT c.id, c.customer_id, c.last_customer_message_at
     FROM conversations c
     WHERE c.status IN ('open', 'pending') AND c.customer_id IS NOT NULL
       AND c.last_customer_message_at IS NOT NULL
       AND c.last_customer_message_at > $1::timestamptz - interval '7 days'
       AND (c.last_agent_message_at IS NULL OR c.last_agent_message_at < c.last_customer_message_at)
       AND CASE WHEN c.channel = 'chat' AND NOT c.is_offline_message
             THEN c.last_customer_message_at <= $1::timestamptz - make_interval(mins => $2)
             ELSE c.last_customer_message_at <= $1::timestamptz - make_interval(hours => $3) END
       AND EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.customer_id = c.customer_id)
       AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.customer_id = c.customer_id AND NOT p.push_waiting)
       AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.conversation_id = c.id AND d.kind = 'waiting'
                       AND d.dedupe_key = 'waiting:' || (extract(epoch FROM c.last_customer_message_at) * 1000)::bigint)
     ORDER BY c.last_customer_message_at
     LIMIT 500`,
    [at, thresholds.chatMinutes, thresholds.emailHours],
  );
  return found.rows.map((row) => ({ conversationId: row.id, customerId: row.customer_id, since: row.last_customer_message_at }));
}

export async function markSubscriptionUsed(db: Queryable, id: string, at: Date): Promise<void> {
  await db.update(pushSubscriptions).set({ lastSentAt: at }).where(eq(pushSubscriptions.id, id));
}
