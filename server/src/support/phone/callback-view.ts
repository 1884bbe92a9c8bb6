import type { AgentCallback, CallbackView, Locale } from '@okpay/contracts';
import { describeWhen } from '../hours/describe-support-hours.js';
import { isTimeZone } from '../hours/zoned-time.js';
import { callbackTexts } from './callback-texts.js';
import type { CallbackRow } from './phone.repository.js';
import { maskPhoneNumber } from './phone-numbers.js';

/** The callback as its customer sees it, with what happens next in their language and zone. */
export function toCallbackView(callback: CallbackRow, now: Date, locale: Locale = callback.locale): CallbackView {
  const t = callbackTexts[locale];
  const number = maskPhoneNumber(callback.number);
  const zone = isTimeZone(callback.timeZone) ? callback.timeZone : 'Asia/Shanghai';
  const when = describeWhen(callback.dueAt.getTime(), now, zone, locale);
  const message =
    callback.state === 'scheduled'
      ? callback.attempts === 0
        ? t.scheduled(when, number)
        : t.retry(when, number)
      : callback.state === 'queued'
        ? t.queued(number)
        : callback.state === 'completed'
          ? t.completed
          : t.gaveUp(callback.attempts);
  return {
    id: callback.id,
    conversationId: callback.conversationId,
    number,
    dueAt: callback.dueAt.toISOString(),
    state: callback.state,
    attempts: callback.attempts,
    message,
  };
}

/** The callback as the console lists it: the number masked, no words meant for the customer. */
export function toAgentCallback(callback: CallbackRow): AgentCallback {
  return {
    id: callback.id,
    conversationId: callback.conversationId,
    number: maskPhoneNumber(callback.number),
    dueAt: callback.dueAt.toISOString(),
    state: callback.state,
    attempts: callback.attempts,
  };
}
