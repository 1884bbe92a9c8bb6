import { defineErrors } from '../platform/index.js';

export const WalletError = defineErrors({
  insufficient_funds: {
    status: 422,
    'zh-CN': '余额不足',
    en: 'Your balance is not enough for this',
  },
  account_frozen: {
    status: 423,
    'zh-CN': '您的账户已被冻结，暂时无法转入或转出资金。请在“账户安全”页面查看原因，或联系在线客服。',
    en: 'Your account is frozen, so money cannot move in or out. See the Security page for the reason, or contact live chat.',
  },
  recipient_cannot_receive: {
    status: 422,
    'zh-CN': '对方账户暂时无法收款',
    en: 'The recipient cannot receive money right now',
  },
  recipient_not_found: {
    status: 404,
    'zh-CN': '找不到该收款人，请核对邮箱或手机号',
    en: 'No OKPay customer has that email or phone number',
  },
  transfer_to_self: { status: 422, 'zh-CN': '不能转账给自己', en: 'You cannot send money to yourself' },
  currency_not_supported: { status: 400, 'zh-CN': '不支持该币种', en: 'This currency is not supported' },
  amount_too_large: {
    status: 422,
    'zh-CN': '金额超过单笔上限 {limit}',
    en: 'The amount exceeds the limit of {limit} per transaction',
  },
  amount_too_small: { status: 422, 'zh-CN': '金额低于最低限额 {limit}', en: 'The amount is below the minimum of {limit}' },
  ledger_unbalanced: { status: 500, 'zh-CN': '账务处理失败', en: 'The ledger refused an unbalanced entry' },
  idempotency_key_missing: {
    status: 400,
    'zh-CN': '缺少 Idempotency-Key 请求头',
    en: 'The Idempotency-Key header is required for requests that move money',
  },
  idempotency_key_invalid: {
    status: 400,
    'zh-CN': 'Idempotency-Key 格式无效（1–255 个可见字符）',
    en: 'The Idempotency-Key must be 1–255 visible characters',
  },
  idempotency_key_reused: {
    status: 422,
    'zh-CN': '该 Idempotency-Key 已用于另一个不同的请求',
    en: 'This Idempotency-Key was already used for a different request',
  },
  idempotency_key_in_progress: {
    status: 409,
    'zh-CN': '使用该 Idempotency-Key 的请求仍在处理中，请稍后重试',
    en: 'A request with this Idempotency-Key is still being processed; retry shortly',
  },
  transaction_not_found: { status: 404, 'zh-CN': '找不到该交易', en: 'Transaction not found' },
});
