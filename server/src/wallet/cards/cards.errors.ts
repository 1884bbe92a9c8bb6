import { defineErrors } from '../../platform/index.js';
import type { NextStep } from '../failure-reasons.js';

/** Refusals while binding a card; each message says what to do next. */
export const CardError = defineErrors({
  incorrect_number: {
    status: 400,
    'zh-CN': '卡号不正确，请核对卡面上的卡号后重新输入。',
    en: 'The card number is incorrect. Check the number on the card and enter it again.',
  },
  expired_card: {
    status: 422,
    'zh-CN': '这张卡已过期，请绑定一张仍在有效期内的卡。',
    en: 'This card has expired. Bind a card that is still valid.',
  },
  invalid_cvc: {
    status: 400,
    'zh-CN': '安全码（CVC）应为 3 位数字（美国运通卡为卡正面的 4 位数字），请核对后重新输入。',
    en: 'The security code (CVC) is the 3 digits on the back of the card (4 on the front for American Express). Check it and try again.',
  },
  card_not_supported: {
    status: 422,
    'zh-CN': '暂不支持这张卡，请换一张银联、Visa、万事达、JCB 或美国运通卡。',
    en: 'This card is not supported. Use a UnionPay, Visa, Mastercard, JCB or American Express card instead.',
  },
  card_declined: {
    status: 402,
    'zh-CN': '发卡银行拒绝绑定这张卡。请换一张卡，或联系发卡银行了解原因。',
    en: 'Your bank refused to link this card. Use another card, or ask your bank why.',
  },
  incorrect_cvc: {
    status: 402,
    'zh-CN': '发卡银行提示安全码（CVC）不正确，请核对卡背面的安全码后重新绑定。',
    en: 'Your bank says the security code (CVC) is incorrect. Check the code on the back of the card and bind it again.',
  },
  card_verification_unavailable: {
    status: 503,
    'zh-CN': '暂时无法向发卡银行验证这张卡，卡未被扣款。请稍后重试。',
    en: 'We could not check this card with your bank just now, and nothing was charged. Try again in a few minutes.',
  },
  card_already_bound: {
    status: 409,
    'zh-CN': '这张卡已经绑定在您的账户中，可以直接使用。',
    en: 'This card is already linked to your account; you can use it straight away.',
  },
  card_not_found: {
    status: 404,
    'zh-CN': '找不到这张卡，请刷新卡片列表后重试。',
    en: 'Card not found. Refresh your card list and try again.',
  },
});

type CardErrorCode = Parameters<typeof CardError>[0];

/** The next step a client can act on, sent as `error.details.nextStep`. */
export const cardErrorNextStep: Partial<Record<CardErrorCode, NextStep>> = {
  incorrect_number: 'check_card_details',
  expired_card: 'use_another_card',
  invalid_cvc: 'check_card_details',
  card_not_supported: 'use_another_card',
  card_declined: 'use_another_card',
  incorrect_cvc: 'check_card_details',
  card_verification_unavailable: 'retry_later',
};

/** A card refusal carrying its next step. */
export function cardRefusal(code: CardErrorCode) {
  const nextStep = cardErrorNextStep[code];
  return CardError(code, {}, nextStep ? { nextStep } : undefined);
}
