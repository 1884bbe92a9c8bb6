import type { Locale, OfflineMessageReceipt } from '@okpay/contracts';
import { describeSupportHours } from '../hours/describe-support-hours.js';
import { supportMessage } from '../support.messages.js';
import type { SupportDeps } from '../support-deps.js';
import { leaveOfflineMessage, type OfflineMessage } from './leave-offline-message.js';

/**
 * The widget's message form while nobody is online: the message becomes an email conversation,
 * and the writer is told its reference, the reply promise and, outside chat hours, when chat
 * opens again (from the chat calendar, in the writer's zone when given).
 */
export async function receiveOfflineMessage(
  deps: SupportDeps,
  input: OfflineMessage & { answerLocale: Locale; timeZone?: string },
): Promise<OfflineMessageReceipt> {
  const { answerLocale, timeZone, ...message } = input;
  const conversation = await leaveOfflineMessage(deps, message);
  const reference = conversation.reference ?? '';
  const hours = await describeSupportHours(deps, { locale: answerLocale, at: deps.clock.now(), timeZone });
  const chat = hours.find((channel) => channel.channel === 'chat');
  const afterHours = chat !== undefined && !chat.open ? chat.status : null;
  return {
    conversationId: conversation.id,
    reference,
    message: supportMessage('offline_message_received', answerLocale, {
      reference,
      email: input.email,
      afterHours: afterHours ? supportMessage('chat_closed_now', answerLocale, { status: afterHours }) : '',
    }),
  };
}
