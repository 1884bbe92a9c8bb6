import type { CallbackAttempt, CallbackView, CallEvent, CallState } from '@okpay/contracts';
import { withTransaction } from '../../platform/index.js';
import { dequeueConversation, findConversation } from '../conversations/conversations.repository.js';
import type { Participant } from '../conversations/participant.js';
import { postMessage } from '../conversations/post-message.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { currentHours } from '../hours/support-hours.js';
import type { SupportDeps } from '../support-deps.js';
import { nextCallState } from './call-state.js';
import { toCallbackView } from './callback-view.js';
import { PhoneError } from './phone.errors.js';
import { findCallbackForUpdate, insertCall, insertCallEvent, updateCall, updateCallback } from './phone.repository.js';

/** How each outcome of an agent's call runs through the call state machine. */
const outcomeEvents: Record<CallbackAttempt['outcome'], CallEvent[]> = {
  reached: ['answer', 'hang-up'],
  'no-answer': ['no-answer'],
  busy: ['busy'],
  failed: ['fail'],
};

/**
 * The agent logs how their call went. Each attempt is an outbound call on the conversation (its
 * final state the disposition). A reached customer completes the callback; a missed one is tried
 * again `CALLBACK_RETRY_MINUTES` later (moved into the phone line's hours) until
 * `CALLBACK_ATTEMPTS` is reached, and the customer is told in the conversation either way.
 */
export async function recordCallbackAttempt(
  deps: SupportDeps,
  actor: Participant & { kind: 'staff' },
  callbackId: string,
  attempt: CallbackAttempt,
): Promise<CallbackView> {
  const at = deps.clock.now();
  const { maxAttempts, retryMs } = {
    maxAttempts: deps.config.telephony.callbackAttempts,
    retryMs: deps.config.telephony.callbackRetryMinutes * 60_000,
  };
  const hours = await currentHours(deps);
  const calendar = hours.calendars.get(hours.channels.phone) as BusinessCalendar;
  const updated = await withTransaction(deps.pool, async (tx) => {
    const callback = await findCallbackForUpdate(tx, callbackId);
    if (!callback) throw PhoneError('callback_not_found');
    if (callback.state !== 'queued') throw PhoneError('callback_not_due');
    const attempts = callback.attempts + 1;
    // The attempt's call and its log, through the state machine.
    let state: CallState = 'ringing';
    const call = await insertCall(tx, {
      conversationId: callback.conversationId,
      provider: 'agent',
      providerCallId: `${callback.id}:${attempts}`,
      direction: 'outbound',
      fromNumber: deps.config.contact.phone.replace(/[^0-9+]/g, ''),
      toNumber: callback.number,
      customerId: callback.customerId,
      state,
      startedAt: at,
      updatedAt: at,
    });
    await insertCallEvent(tx, { callId: call.id, event: 'dial', fromState: state, toState: state, at });
    for (const event of outcomeEvents[attempt.outcome]) {
      const next = nextCallState(state, event);
      await insertCallEvent(tx, { callId: call.id, event, fromState: state, toState: next.state, at });
      state = next.state;
    }
    // The attempt's call ends now (talk time is not known for a call made by hand).
    await updateCall(tx, call.id, { state, answeredAt: state === 'completed' ? at : null, endedAt: at, updatedAt: at });
    const reached = attempt.outcome === 'reached';
    const retryAt = calendar.nextOpening(at.getTime() + retryMs);
    const next = reached
      ? await updateCallback(tx, callback.id, { state: 'completed', attempts, updatedAt: at })
      : attempts < maxAttempts && retryAt !== null
        ? await updateCallback(tx, callback.id, { state: 'scheduled', attempts, dueAt: new Date(retryAt), updatedAt: at })
        : await updateCallback(tx, callback.id, { state: 'failed', attempts, updatedAt: at });
    if (!reached) await dequeueConversation(tx, callback.conversationId, at);
    await recordConversationEvent(
      tx,
      callback.conversationId,
      'callback_attempted',
      actor,
      {
        callbackId: callback.id,
        callId: call.id,
        attempt: attempts,
        outcome: attempt.outcome,
        state: next.state,
        dueAt: next.dueAt.toISOString(),
      },
      at,
    );
    return next;
  });
  const view = toCallbackView(updated, at);
  // The customer hears what happened and what comes next, in the conversation.
  const conversation = await findConversation(deps.db, updated.conversationId);
  if (conversation && updated.state !== 'completed') await postMessage(deps, { conversation, author: actor, body: view.message });
  if (conversation) deps.notifier.conversationUpdated(conversation, { type: 'callback_attempted' });
  return view;
}
