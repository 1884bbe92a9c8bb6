import type { NewCannedResponse } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { insertCannedResponse } from './agent-console.repository.js';

/** Adds a canned response for every agent; supervisors and admins curate them. */
export async function createCannedResponse(db: Queryable, input: NewCannedResponse & { staffId: string }): Promise<{ id: string }> {
  const row = await insertCannedResponse(db, {
    shortcut: input.shortcut,
    title: input.title,
    body: input.body,
    locale: input.locale,
    category: input.category ?? null,
    createdBy: input.staffId,
  });
  return { id: row.id };
}
