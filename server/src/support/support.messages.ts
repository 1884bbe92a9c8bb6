import { defineMessages } from '../platform/index.js';

/** What support tells customers when something went right. */
export const supportMessage = defineMessages({
  offline_message_received: {
    'zh-CN':
      '留言已收到，工单编号 #{reference}。{afterHours}确认邮件已发送到 {email}，客服会在 {hours} 小时内通过邮件回复您{due}（复杂问题需要 1–3 个工作日），直接回复邮件即可继续沟通。',
    en: 'Message received; your reference is #{reference}. {afterHours}We have sent a confirmation to {email} and will reply by email within {hours} hours{due} (complex cases take 1–3 business days). Reply to that email to continue.',
  },
  /** Inside the message above: when the email SLA's first reply is due. */
  reply_due_by: { 'zh-CN': '，预计在 {due}前回复', en: ', by {due}' },
  /** Inside the message above, outside chat hours: when chat opens again. */
  chat_closed_now: { 'zh-CN': '{status}。', en: '{status}. ' },
  transcript_sent: { 'zh-CN': '聊天记录已发送到 {to}', en: 'The transcript was sent to {to}' },
  transcript_code_sent: {
    'zh-CN': '验证码已发送到 {to}，请输入邮件中的 6 位验证码',
    en: 'A code was sent to {to}; enter the 6 digits from that email',
  },
});
