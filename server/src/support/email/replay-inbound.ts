import type { SupportDeps } from '../support-deps.js';
import { requeueInbound } from './email.repository.js';
import { processInbound } from './inbound/process-inbound.js';

export type ReplayFilter = { ids?: string[]; since?: Date; onlyFailed?: boolean };

/**
 * Parses stored raw mail again, after a parser fix or an outage. Mail already turned into a
 * message is recognised (the message is keyed by the stored mail) and not posted twice.
 */
export async function replayInbound(deps: SupportDeps, filter: ReplayFilter): Promise<{ replayed: number; failed: number }> {
  const ids = await requeueInbound(deps.db, {
    ids: filter.ids,
    since: filter.since,
    statuses: filter.onlyFailed ? ['failed'] : ['failed', 'received', 'processing', 'ignored', 'processed'],
  });
  let failed = 0;
  for (const id of ids) {
    await processInbound(deps, id).catch(() => {
      failed += 1;
    });
  }
  return { replayed: ids.length - failed, failed };
}
