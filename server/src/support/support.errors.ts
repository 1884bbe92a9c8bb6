import { defineErrors } from '../platform/index.js';

export const SupportError = defineErrors({
  conversation_not_found: { status: 404, 'zh-CN': '找不到该会话', en: 'Conversation not found' },
  conversation_closed: {
    status: 409,
    'zh-CN': '该会话已关闭，请发起新的咨询',
    en: 'This conversation is closed; start a new one',
  },
  link_not_found: {
    status: 404,
    'zh-CN': '要关联的交易、充值或银行卡不存在',
    en: 'The transaction, top-up or card to link was not found',
  },
  message_empty: { status: 400, 'zh-CN': '消息不能为空', en: 'A message cannot be empty' },
  realtime_unauthorized: {
    status: 401,
    'zh-CN': '连接凭证无效或已过期，请刷新页面',
    en: 'The connection token is invalid or expired; reload the page',
  },
  attachment_too_large: { status: 413, 'zh-CN': '图片不能超过 {limit}', en: 'Images must be at most {limit}' },
  attachment_type_not_allowed: {
    status: 415,
    'zh-CN': '只支持 JPG、PNG、GIF 或 WebP 图片',
    en: 'Only JPG, PNG, GIF or WebP images are accepted',
  },
  attachment_not_found: { status: 404, 'zh-CN': '找不到该附件', en: 'Attachment not found' },
  attachment_link_expired: {
    status: 403,
    'zh-CN': '图片链接已过期，请重新打开会话查看',
    en: 'This image link has expired; open the conversation again to see it',
  },
  attachment_link_invalid: { status: 403, 'zh-CN': '图片链接无效', en: 'This image link is not valid' },
  agent_not_available: { status: 409, 'zh-CN': '该客服当前不可接待', en: 'That agent cannot take the conversation now' },
  transcript_needs_email: {
    status: 400,
    'zh-CN': '请提供接收聊天记录的邮箱',
    en: 'Give an email address to send the transcript to',
  },
  transcript_email_unverified: {
    status: 403,
    'zh-CN': '请先验证您的账户邮箱 {email}（查看验证邮件，或在“账户”页面重新发送），再发送聊天记录',
    en: 'Verify your account email {email} first (see the verification email, or send it again from your account page), then send the transcript',
  },
  transcript_only_own_email: {
    status: 400,
    'zh-CN': '聊天记录只能发送到您账户的邮箱',
    en: 'A transcript can only go to your account’s email address',
  },
  transcript_verification_pending: {
    status: 409,
    'zh-CN': '验证码已发送到 {email}，请输入邮件中的 6 位验证码',
    en: 'A code was sent to {email}; enter the 6 digits from that email',
  },
  transcript_not_requested: {
    status: 404,
    'zh-CN': '请先填写接收聊天记录的邮箱',
    en: 'Give the email address for the transcript first',
  },
  transcript_code_invalid: {
    status: 400,
    'zh-CN': '验证码不正确，还可以再试 {left} 次',
    en: 'That code is not right; {left} tries left',
  },
  transcript_code_expired: {
    status: 400,
    'zh-CN': '验证码已失效。登录 OKPay 后可直接发送到账户邮箱，或联系客服',
    en: 'That code no longer works. Sign in to OKPay to send it to your account’s email, or ask the agent',
  },
});
