import type { SlaClock } from '@okpay/contracts';
import type { Clock } from '../../platform/index.js';
import type { HoursDeps } from '../hours/support-hours.js';
import { listConversationClocks } from './sla.repository.js';
import { currentSlaEnvironment } from './sla-rules.js';
import { clockView } from './sla-view.js';

/** Each conversation's clocks as the console shows them now. */
export async function slaClocksOf(
  deps: HoursDeps & { clock: Clock },
  conversations: ReadonlyArray<{ id: string; channel: string }>,
): Promise<Map<string, SlaClock[]>> {
  if (conversations.length === 0) return new Map();
  const [stored, environment] = await Promise.all([
    listConversationClocks(
      deps.db,
      conversations.map((conversation) => conversation.id),
    ),
    currentSlaEnvironment(deps),
  ]);
  const now = deps.clock.now();
  const views = new Map<string, SlaClock[]>();
  for (const conversation of conversations) {
    const clocks = stored.get(conversation.id) ?? [];
    views.set(
      conversation.id,
      clocks.map((clock) => clockView(environment, clock, conversation.channel, now)),
    );
  }
  return views;
}
