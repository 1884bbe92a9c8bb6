import type { CallView } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { toCallView } from './call-view.js';
import { listCallEvents, listConversationCalls } from './phone.repository.js';

/** Every call on a conversation with its log, oldest first. */
export async function listCallsOfConversation(db: Queryable, conversationId: string): Promise<CallView[]> {
  const calls = await listConversationCalls(db, conversationId);
  const events = await listCallEvents(
    db,
    calls.map((call) => call.id),
  );
  return calls.map((call) =>
    toCallView(
      call,
      events.filter((event) => event.callId === call.id),
    ),
  );
}
