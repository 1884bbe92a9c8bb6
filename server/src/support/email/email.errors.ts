import { defineErrors } from '../../platform/index.js';

export const EmailError = defineErrors({
  email_webhook_disabled: {
    status: 404,
    'zh-CN': '未配置邮件服务商的入站回调（EMAIL_WEBHOOK_SIGNING_KEY）',
    en: 'The provider inbound webhook is not configured (EMAIL_WEBHOOK_SIGNING_KEY)',
  },
  email_webhook_signature_invalid: {
    status: 401,
    'zh-CN': '回调签名无效',
    en: 'The webhook signature is invalid',
  },
  email_webhook_stale: {
    status: 401,
    'zh-CN': '回调时间戳已过期（超过 15 分钟）',
    en: 'The webhook timestamp is more than 15 minutes away from now',
  },
  email_webhook_body_missing: {
    status: 400,
    'zh-CN': '回调缺少原始邮件（body-mime）',
    en: 'The webhook carries no raw message (body-mime)',
  },
  email_too_large: {
    status: 413,
    'zh-CN': '邮件超过 {limit} 的大小限制',
    en: 'The message is larger than the {limit} limit',
  },
  email_message_not_found: { status: 404, 'zh-CN': '找不到该邮件', en: 'Email not found' },
  email_not_retryable: {
    status: 409,
    'zh-CN': '只有发送失败或被退回的邮件可以重新发送',
    en: 'Only an email that failed or bounced can be sent again',
  },
});
