import type { Locale, Refund } from '@okpay/contracts';

export type NextStep = 'check_card_details' | 'use_another_card' | 'retry_later' | 'contact_support' | 'wait' | 'refund_on_its_way';

type Reason = { nextStep: NextStep; 'zh-CN': string; en: string };

/**
 * What a customer reads when money did not move, with the next step. Keys are the public codes:
 * risk declines (lost, stolen, fraudulent) are shown as a plain `card_declined` (Stripe: "should not
 * be reported to the customer"), while agents see the real code.
 */
const reasons: Record<string, Reason> = {
  card_declined: {
    nextStep: 'use_another_card',
    'zh-CN': '发卡银行拒绝了这笔充值。请换一张卡，或联系发卡银行了解原因。',
    en: 'Your bank declined this top-up. Use another card, or ask your bank why.',
  },
  insufficient_funds: {
    nextStep: 'use_another_card',
    'zh-CN': '银行卡余额不足。请先向银行卡存入资金，或换一张卡。',
    en: 'Your card has insufficient funds. Add money to the card or use another card.',
  },
  expired_card: {
    nextStep: 'use_another_card',
    'zh-CN': '这张卡已过期。请绑定一张有效的卡。',
    en: 'This card has expired. Bind a card that is still valid.',
  },
  incorrect_cvc: {
    nextStep: 'check_card_details',
    'zh-CN': '卡片安全码（CVV）不正确。请删除这张卡后重新绑定，并仔细核对卡背面的三位安全码。',
    en: 'The card security code (CVC) is incorrect. Remove the card and bind it again, checking the code on its back.',
  },
  incorrect_number: {
    nextStep: 'check_card_details',
    'zh-CN': '卡号不正确，请核对后重新输入。',
    en: 'The card number is incorrect; check it and try again.',
  },
  processing_error: {
    nextStep: 'retry_later',
    'zh-CN': '银行处理时出现临时问题，资金未被扣除。请稍后重试，或检查网络后再试。',
    en: 'The bank had a temporary problem and nothing was charged. Try again later or check your network.',
  },
  awaiting_bank: {
    nextStep: 'wait',
    'zh-CN': '银行暂未返回结果。我们会自动与银行核对，请勿重复充值；如已扣款，资金会自动到账。',
    en: 'The bank has not answered yet. We check with the bank automatically; do not top up again. If you were charged, the money will arrive.',
  },
  card_removed: {
    nextStep: 'use_another_card',
    'zh-CN': '这张卡已被删除，请选择其他卡。',
    en: 'This card was removed; choose another card.',
  },
  charged_not_credited: {
    nextStep: 'refund_on_its_way',
    'zh-CN': '银行已扣款，但这笔充值未能存入钱包。',
    en: 'Your bank took the money, but the top-up could not be added to your wallet.',
  },
  account_frozen: {
    nextStep: 'contact_support',
    'zh-CN': '账户已冻结，充值未完成。请查看“账户安全”页面或联系在线客服。',
    en: 'Your account is frozen, so the top-up did not complete. See the Security page or contact live chat.',
  },
};

const riskDeclines = new Set(['lost_card', 'stolen_card', 'fraudulent', 'merchant_blacklist', 'pickup_card']);

/** The code a customer may see for a real reason code. */
export function publicFailureCode(code: string): string {
  if (riskDeclines.has(code)) return 'card_declined';
  return code in reasons ? code : 'card_declined';
}

/**
 * The code the customer reads for a failed top-up. Once the bank is known to have taken the money
 * (a refund is owed or done), reasons that say "nothing was charged" would be untrue; a freeze
 * still explains itself.
 */
export function customerFailureCode(row: { failureCodePublic: string | null; refundStatus?: string | null }): string | null {
  const owedBack = row.refundStatus === 'pending' || row.refundStatus === 'refunded';
  if (owedBack && row.failureCodePublic !== 'account_frozen') return 'charged_not_credited';
  return row.failureCodePublic;
}

export function describeFailure(publicCode: string, locale: Locale): { code: string; message: string; nextStep: NextStep } {
  const reason = reasons[publicCode] ?? reasons.card_declined;
  return { code: publicCode, message: reason?.[locale] ?? publicCode, nextStep: reason?.nextStep ?? 'contact_support' };
}

/** What the customer reads about a failed (or waiting) top-up row, or null when nothing went wrong. */
export function describeCustomerFailure(
  row: { failureCodePublic: string | null; refundStatus?: string | null },
  locale: Locale,
): { code: string; message: string; nextStep: NextStep } | null {
  const code = customerFailureCode(row);
  return code ? describeFailure(code, locale) : null;
}

/** Money owed back to the card, or null when nothing is (`not_charged`: the bank kept nothing). */
export function toRefundView(row: { refundStatus: string | null; refundedAt: Date | null }): Refund | null {
  if (row.refundStatus !== 'pending' && row.refundStatus !== 'refunded') return null;
  return { status: row.refundStatus, refundedAt: row.refundedAt?.toISOString() ?? null };
}
