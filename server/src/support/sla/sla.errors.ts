import { defineErrors } from '../../platform/index.js';

export const SlaError = defineErrors({
  sla_policy_not_found: { status: 404, 'zh-CN': '找不到 SLA 策略 {name}', en: 'There is no SLA policy named {name}' },
  sla_calendar_unknown: {
    status: 400,
    'zh-CN': '日历 {name} 不存在，请先在「营业时间」中创建',
    en: 'There is no calendar named {name}; create it under Business hours first',
  },
  sla_policy_overlaps: {
    status: 409,
    'zh-CN': 'SLA 策略 {other} 已适用于同一渠道、优先级和分类',
    en: 'SLA policy {other} already applies to the same channel, priority and category',
  },
  sla_policy_empty: {
    status: 400,
    'zh-CN': 'SLA 策略至少需要一个目标（首次回复、后续回复或解决）',
    en: 'An SLA policy needs at least one target (first reply, next reply or resolution)',
  },
  sla_policy_shipped_channel: {
    status: 400,
    'zh-CN': '内置策略 {name} 只适用于其渠道的全部会话，不能改成其他渠道、优先级或分类',
    en: 'The shipped policy {name} covers its whole channel; its channel, priority and category cannot change',
  },
});
