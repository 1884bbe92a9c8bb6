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
  callback_number_invalid: {
    status: 400,
    'zh-CN': '请填写带国家区号的电话号码，例如 +8613800138000',
    en: 'Enter the number with its country code, e.g. +8613800138000',
  },
  callback_mobile_invalid: {
    status: 400,
    'zh-CN': '中国大陆手机号应为 11 位，以 13–19 开头，例如 +8613800138000',
    en: 'A mainland China mobile number has 11 digits starting 13–19, e.g. +8613800138000',
  },
  callback_slot_past: { status: 400, 'zh-CN': '回电时间至少要在 10 分钟以后', en: 'Choose a time at least 10 minutes from now' },
  callback_slot_too_far: { status: 400, 'zh-CN': '回电时间最多可预约 14 天内', en: 'Choose a time within the next 14 days' },
  callback_slot_closed: {
    status: 400,
    'zh-CN': '所选时间不在电话客服服务时间内（{hours}）',
    en: 'That time is outside our phone hours ({hours})',
  },
  callback_sign_in_required: { status: 403, 'zh-CN': '请先登录再预约回电', en: 'Sign in to request a callback' },
  callback_already_requested: {
    status: 409,
    'zh-CN': '您已有一个待回电的预约，客服会按时致电',
    en: 'You already have a callback booked; an agent will call at that time',
  },
  callback_not_found: { status: 404, 'zh-CN': '找不到该回电预约', en: 'Callback not found' },
  callback_not_due: { status: 409, 'zh-CN': '该回电还未到时间或已结束', en: 'This callback is not due or is already finished' },
});
