import type { Locale, OfflineMessageReceipt } from '@okpay/contracts';
import { describeSupportHours } from '../hours/describe-support-hours.js';
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
    message:
      answerLocale === 'zh-CN'
        ? `留言已收到，工单编号 #${reference}。${afterHours ? `${afterHours}。` : ''}确认邮件已发送到 ${input.email}，客服会在 48 小时内通过邮件回复您（复杂问题需要 1–3 个工作日），直接回复邮件即可继续沟通。`
        : `Message received; your reference is #${reference}. ${afterHours ? `${afterHours}. ` : ''}We have sent a confirmation to ${input.email} and will reply by email within 48 hours (complex cases take 1–3 business days). Reply to that email to continue.`,
  };
}
