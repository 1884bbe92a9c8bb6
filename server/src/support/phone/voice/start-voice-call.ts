import { randomUUID } from 'node:crypto';
import type { ConversationCategory, LinkedObject, Locale } from '@okpay/contracts';
import { holdTransactionLock, withTransaction } from '../../../platform/index.js';
import { insertConversationLink } from '../../conversations/conversations.repository.js';
import type { Participant } from '../../conversations/participant.js';
import { recordConversationEvent } from '../../conversations/record-event.js';
import { assertLinksOwned } from '../../conversations/start-conversation.js';
import type { BusinessCalendar } from '../../hours/business-calendar.js';
import { channelHours } from '../../hours/describe-support-hours.js';
import { currentHours } from '../../hours/support-hours.js';
import { openCall } from '../open-call.js';
import { applyCallEvent } from '../record-call-event.js';
import { ringWaitingCalls } from './ring-waiting-calls.js';
import { VoiceError } from './voice.errors.js';
import { findLiveVoiceCallOf, insertVoiceCall } from './voice.repository.js';
import type { JoinCall, VoiceDeps } from './voice-notifier.js';

/** In-app calls are carried by the app itself: no provider, no numbers. */
export const appProvider = 'app';

export type StartVoiceCallInput = { category: ConversationCategory; links: LinkedObject[]; locale: Locale };

/**
 * A customer (or visitor) calls the support queue from the widget while the phone line is open:
 * a phone conversation and an inbound call, queued at once (there is no menu in the app), with the
 * wallet objects the customer picked linked as in chat. The caller's socket joins the call, then a
 * free agent's console rings. One live call per caller.
 */
export async function startVoiceCall(
  deps: VoiceDeps,
  participant: Participant & { kind: 'customer' | 'visitor' },
  input: StartVoiceCallInput,
  join: JoinCall,
): Promise<string> {
  const at = deps.clock.now();
  const hours = await currentHours(deps);
  const calendar = hours.calendars.get(hours.channels.phone) as BusinessCalendar;
  // The phone line's calendar governs in-app calls too: outside it the widget offers a callback instead.
  if (!calendar.isOpen(at)) throw VoiceError('voice_line_closed', { hours: channelHours(hours, 'phone', at, input.locale).summary });
  const owner = participant.kind === 'customer' ? { customerId: participant.customerId } : { visitorId: participant.visitorId };
  const callId = await withTransaction(deps.pool, async (tx) => {
    await assertLinksOwned(tx, participant, input.links);
    await holdTransactionLock(tx, `voice:${'customerId' in owner ? owner.customerId : owner.visitorId}`);
    if (await findLiveVoiceCallOf(tx, owner)) throw VoiceError('voice_call_in_progress');
    const opened = await openCall(tx, {
      provider: appProvider,
      providerCallId: randomUUID(),
      direction: 'inbound',
      from: 'app',
      to: 'support',
      owner,
      isVerified: participant.kind === 'customer',
      contactName: participant.name,
      category: input.category,
      locale: input.locale,
      actor: participant,
      at,
    });
    for (const link of input.links) {
      if (await insertConversationLink(tx, { conversationId: opened.conversation.id, objectType: link.type, objectId: link.id }))
        await recordConversationEvent(tx, opened.conversation.id, 'linked', participant, { ...link }, at);
    }
    const { call } = await applyCallEvent(tx, opened.call, { event: 'enqueue', locale: input.locale }, at);
    await insertVoiceCall(tx, {
      callId: call.id,
      waitingSince: at,
      queueUntil: new Date(at.getTime() + deps.config.voice.queueTimeoutSeconds * 1000),
      customerSeenAt: at,
      updatedAt: at,
    });
    return call.id;
  });
  await join(callId);
  await ringWaitingCalls(deps);
  return callId;
}
