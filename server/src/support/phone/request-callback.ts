import type { CallbackRequest, CallbackView, Locale } from '@okpay/contracts';
import { holdTransactionLock, withTransaction } from '../../platform/index.js';
import { insertConversation } from '../conversations/conversations.repository.js';
import type { Participant } from '../conversations/participant.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { BusinessCalendar } from '../hours/business-calendar.js';
import { channelHours } from '../hours/describe-support-hours.js';
import { currentHours } from '../hours/support-hours.js';
import { isTimeZone } from '../hours/zoned-time.js';
import type { SupportDeps } from '../support-deps.js';
import { callbackNumber } from './callback-number.js';
import { toCallbackView } from './callback-view.js';
import { PhoneError } from './phone.errors.js';
import { findOpenCallbackOfCustomer, insertCallback } from './phone.repository.js';

const minimumLeadMs = 10 * 60_000;
const maximumLeadMs = 14 * 24 * 3_600_000;

/**
 * A signed-in customer asks to be called back: a valid number (E.164, mainland mobile rules) and a
 * time inside the phone line's hours. It becomes a phone conversation and a callback that joins
 * the queue at that time (see releaseDueCallbacks). One open callback per customer.
 */
export async function requestCallback(
  deps: SupportDeps,
  participant: Participant,
  input: CallbackRequest,
  locale: Locale,
): Promise<CallbackView> {
  if (participant.kind !== 'customer') throw PhoneError('callback_sign_in_required');
  const number = callbackNumber(input.number);
  const now = deps.clock.now();
  const due = new Date(input.slot);
  if (due.getTime() < now.getTime() + minimumLeadMs) throw PhoneError('callback_slot_past');
  if (due.getTime() > now.getTime() + maximumLeadMs) throw PhoneError('callback_slot_too_far');
  const hours = await currentHours(deps);
  const calendar = hours.calendars.get(hours.channels.phone) as BusinessCalendar;
  if (!calendar.isOpen(due)) throw PhoneError('callback_slot_closed', { hours: channelHours(hours, 'phone', now, locale).summary });
  const timeZone = input.timeZone && isTimeZone(input.timeZone) ? input.timeZone : deps.config.timeZone;
  const callback = await withTransaction(deps.pool, async (tx) => {
    await holdTransactionLock(tx, `callback:${participant.customerId}`);
    if (await findOpenCallbackOfCustomer(tx, participant.customerId)) throw PhoneError('callback_already_requested');
    const conversation = await insertConversation(tx, {
      customerId: participant.customerId,
      isVerified: true,
      channel: 'phone',
      status: 'open',
      category: input.category ?? 'other',
      locale,
      contactName: participant.name,
      createdAt: now,
      updatedAt: now,
    });
    await recordConversationEvent(
      tx,
      conversation.id,
      'created',
      participant,
      { channel: 'phone', category: conversation.category, via: 'callback' },
      now,
    );
    const row = await insertCallback(tx, {
      conversationId: conversation.id,
      customerId: participant.customerId,
      number,
      dueAt: due,
      state: 'scheduled',
      locale,
      timeZone,
      createdAt: now,
      updatedAt: now,
    });
    await recordConversationEvent(
      tx,
      conversation.id,
      'callback_requested',
      participant,
      { callbackId: row.id, dueAt: due.toISOString() },
      now,
    );
    return row;
  });
  return toCallbackView(callback, now, locale);
}
