import { defineErrors } from '../../platform/index.js';

export const FxError = defineErrors({
  same_currency: { status: 400, 'zh-CN': '请选择两种不同的币种', en: 'Choose two different currencies' },
  quote_not_found: { status: 404, 'zh-CN': '找不到该报价', en: 'Quote not found' },
  quote_expired: {
    status: 422,
    'zh-CN': '报价已过期，请重新获取报价',
    en: 'This quote has expired; get a new quote',
  },
  quote_already_executed: { status: 409, 'zh-CN': '该报价已兑换过', en: 'This quote was already exchanged' },
  amount_too_small_to_exchange: {
    status: 422,
    'zh-CN': '金额太小，兑换后不足目标币种的最小单位',
    en: 'The amount is too small to buy one minor unit of the target currency',
  },
  rate_unavailable: { status: 503, 'zh-CN': '暂时无法获取汇率', en: 'Exchange rates are unavailable right now' },
  invalid_rate: { status: 400, 'zh-CN': '汇率必须是大于 0 的数字', en: 'A rate must be a number greater than zero' },
  rate_change_pending: {
    status: 409,
    'zh-CN': '{currency} 已有一项待批准的汇率变更，请先批准或拒绝它',
    en: 'A change to the {currency} rate is already waiting for approval; approve or reject it first',
  },
  rate_change_not_found: { status: 404, 'zh-CN': '找不到该汇率变更', en: 'Rate change not found' },
  rate_change_already_decided: { status: 409, 'zh-CN': '该汇率变更已处理', en: 'This rate change was already decided' },
  rate_change_needs_second_admin: {
    status: 403,
    'zh-CN': '不能批准自己提出的汇率变更，需要另一位管理员批准',
    en: 'You cannot decide a rate change you proposed; another admin must',
  },
  rate_moved_since_proposal: {
    status: 409,
    'zh-CN': '提出变更后汇率已被修改，请拒绝此项后按当前汇率重新提出',
    en: 'The rate has changed since this was proposed; reject it and propose again from the current rate',
  },
});
