import type { Queryable } from './db/client.js';
import { auditEvents } from './platform.tables.js';

export type Actor =
  | { type: 'customer'; id: string }
  | { type: 'staff'; id: string }
  | { type: 'system'; id?: string }
  | { type: 'anonymous' };

export type AuditEvent = {
  actor: Actor;
  action: string;
  target?: { type: string; id: string };
  outcome?: 'success' | 'failure';
  ip?: string | null;
  details?: Record<string, unknown>;
};

/** Writes one audit event; pass the transaction so the event commits with the change it describes. */
export async function recordAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    actorType: event.actor.type,
    actorId: 'id' in event.actor ? (event.actor.id ?? null) : null,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome ?? 'success',
    ip: event.ip ?? null,
    details: event.details ?? {},
  });
}
