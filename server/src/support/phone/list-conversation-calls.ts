import type { CallView, CustomerCall } from '@okpay/contracts';
import type { Queryable } from '../../platform/index.js';
import { toCallView } from './call-view.js';
import { listCallEvents, listConversationCalls } from './phone.repository.js';
import { listRecordingsOfCalls } from './recordings/recordings.repository.js';

/** Every call on a conversation with its log, oldest first. */
export async function listCallsOfConversation(db: Queryable, conversationId: string): Promise<CallView[]> {
  const calls = await listConversationCalls(db, conversationId);
  const ids = calls.map((call) => call.id);
  const [events, recordings] = await Promise.all([listCallEvents(db, ids), listRecordingsOfCalls(db, ids)]);
  return calls.map((call) =>
    toCallView(
      call,
      events.filter((event) => event.callId === call.id),
      recordings.filter((recording) => recording.callId === call.id),
    ),
  );
}

/** The calls on one of a customer's conversations as the customer sees them: no numbers, no log, the voicemail's length. */
export async function listCustomerCalls(db: Queryable, conversationId: string): Promise<CustomerCall[]> {
  const calls = await listConversationCalls(db, conversationId);
  const recordings = await listRecordingsOfCalls(
    db,
    calls.map((call) => call.id),
  );
  return calls.map((call) => {
    const voicemail = call.state === 'voicemail' ? recordings.find((recording) => recording.callId === call.id) : undefined;
    const view = toCallView(call, []);
    return {
      id: call.id,
      direction: call.direction,
      state: call.state,
      startedAt: view.startedAt,
      talkSeconds: view.talkSeconds,
      voicemailSeconds: voicemail?.durationMs === null || voicemail === undefined ? null : voicemail.durationMs / 1000,
    };
  });
}
