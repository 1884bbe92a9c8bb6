import { defineErrors } from '../../platform/index.js';

export const PhoneError = defineErrors({
  telephony_not_configured: {
    status: 404,
    'zh-CN': '未配置电话服务商的回调（TWILIO_AUTH_TOKEN）',
    en: 'The telephony provider webhook is not configured (TWILIO_AUTH_TOKEN)',
  },
  telephony_signature_invalid: { status: 401, 'zh-CN': '电话回调签名无效', en: 'The telephony webhook signature is invalid' },
  telephony_stale: {
    status: 401,
    'zh-CN': '电话回调的时间戳已过期',
    en: 'The telephony webhook timestamp is too far from now',
  },
  telephony_replay: { status: 409, 'zh-CN': '该电话回调已处理过', en: 'This telephony webhook was already processed' },
  telephony_call_unknown: { status: 404, 'zh-CN': '找不到该通话', en: 'No such call' },
  telephony_request_invalid: {
    status: 400,
    'zh-CN': '电话回调缺少必要参数：{field}',
    en: 'The telephony webhook lacks a required parameter: {field}',
  },
});
