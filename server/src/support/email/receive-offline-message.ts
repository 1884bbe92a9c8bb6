import type { Locale, OfflineMessageReceipt } from '@okpay/contracts';
import { describeSupportHours } from '../hours/describe-support-hours.js';
import { isTimeZone } from '../hours/zoned-time.js';
import { emailReplyHours } from '../sla/email-reply-hours.js';
import { expectedReplyAt } from '../sla/expected-reply.js';
import { supportMessage } from '../support.messages.js';
import type { SupportDeps } from '../support-deps.js';
import { leaveOfflineMessage, type OfflineMessage } from './leave-offline-message.js';
import { formatDue } from './reply-promise.js';

/**
 * The widget's message form while nobody is online: the message becomes an email conversation,
 * and the writer is told its reference, the reply promise (the email SLA policy's hours and the
 * first reply's due time) and, outside chat hours, when chat opens again (from the chat calendar,
 * in the writer's zone when given).
 */
export async function receiveOfflineMessage(
  deps: SupportDeps,
  input: OfflineMessage & { answerLocale: Locale; timeZone?: string },
): Promise<OfflineMessageReceipt> {
  const { answerLocale, timeZone, ...message } = input;
  const conversation = await leaveOfflineMessage(deps, message);
  const reference = conversation.reference ?? '';
  const [hours, expected, replyHours] = await Promise.all([
    describeSupportHours(deps, { locale: answerLocale, at: deps.clock.now(), timeZone }),
    expectedReplyAt(deps, conversation, conversation.createdAt),
    emailReplyHours(deps),
  ]);
  const chat = hours.find((channel) => channel.channel === 'chat');
  const afterHours = chat !== undefined && !chat.open ? chat.status : null;
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : deps.config.timeZone;
  return {
    conversationId: conversation.id,
    reference,
    expectedReplyAt: expected?.toISOString() ?? null,
    message: supportMessage('offline_message_received', answerLocale, {
      reference,
      email: input.email,
      hours: String(replyHours),
      due: expected ? supportMessage('reply_due_by', answerLocale, { due: formatDue(expected, answerLocale, zone) }) : '',
      afterHours: afterHours ? supportMessage('chat_closed_now', answerLocale, { status: afterHours }) : '',
    }),
  };
}
