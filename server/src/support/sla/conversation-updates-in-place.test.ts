import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../platform/index.js';
import type { Runtime } from '../../runtime.js';
import { startTestRuntime } from '../../test/runtime.js';
import { insertMessages } from '../conversations/conversations.repository.js';
import { saveProjections } from './sla.repository.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

describe('the conversation row under a busy chat', () => {
  // Every message and every SLA change updates the conversation row. While no index names a column
  // those updates write, PostgreSQL updates the row in place (HOT): no new entry in any of the
  // conversation's indexes. An index on an SLA column made every SLA update write them all.
  it('takes a message and the SLA clocks it moves as in-place (HOT) updates', async () => {
    const conversationId = randomUUID();
    const at = new Date();
    const counts = await withTransaction(runtime.deps.pool, async (tx) => {
      await tx.$client.query(
        `INSERT INTO conversations (id, visitor_id, channel, status, created_at, updated_at, last_message_at, last_message_seq)
         VALUES ($1, $2, 'chat', 'open', $3, $3, $3, 0)`,
        [conversationId, randomUUID(), at],
      );
      const [stored] = await insertMessages(tx, [
        {
          conversationId,
          clientMessageId: randomUUID(),
          authorType: 'customer',
          authorId: randomUUID(),
          authorName: null,
          body: '我的充值失败了',
          isInternal: false,
          redactions: null,
          attachmentId: null,
          at,
        },
      ]);
      expect(stored?.kind).toBe('stored');
      const due = new Date(at.getTime() + 120_000);
      await saveProjections(tx, [{ id: conversationId, replyDue: due, nextDue: due, risk: 0 }]);
      await saveProjections(tx, [{ id: conversationId, replyDue: null, nextDue: null, risk: 1 }]);
      const row = await tx.$client.query<{ updated: string; hot: string; due: Date | null; risk: number }>(
        `SELECT pg_stat_get_xact_tuples_updated('conversations'::regclass) AS updated,
                pg_stat_get_xact_tuples_hot_updated('conversations'::regclass) AS hot,
                (SELECT response_due_at FROM conversations WHERE id = $1) AS due,
                (SELECT sla_risk FROM conversations WHERE id = $1) AS risk`,
        [conversationId],
      );
      return row.rows[0];
    });
    expect(counts).toMatchObject({ due: null, risk: 1 });
    expect(Number(counts?.updated)).toBe(3);
    expect(Number(counts?.hot)).toBe(3);
  });
});
