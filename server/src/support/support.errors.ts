import { defineErrors } from '../platform/errors.js';

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
  agent_not_available: { status: 409, 'zh-CN': '该客服当前不可接待', en: 'That agent cannot take the conversation now' },
  transcript_needs_email: {
    status: 400,
    'zh-CN': '请提供接收聊天记录的邮箱',
    en: 'Give an email address to send the transcript to',
  },
});
