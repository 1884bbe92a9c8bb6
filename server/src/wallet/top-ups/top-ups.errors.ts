import { defineErrors } from '../../platform/index.js';

/** Refusals before a top-up reaches the bank; bank declines are answered with the top-up itself (402). */
export const TopUpError = defineErrors({
  top_up_not_found: { status: 404, 'zh-CN': '找不到这笔充值记录。', en: 'Top-up not found.' },
  card_removed: {
    status: 422,
    'zh-CN': '这张卡已被删除，不能用于充值。请选择其他卡，或重新绑定这张卡。',
    en: 'This card was removed and cannot be used to top up. Choose another card or bind this one again.',
  },
});
