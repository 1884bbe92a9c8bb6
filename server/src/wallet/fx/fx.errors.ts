import { defineErrors } from '../../platform/errors.js';

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
});
