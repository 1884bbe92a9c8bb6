import type { ConversationCategory } from '@okpay/contracts';

// First match wins, most specific first: a mail about a failed top-up often says "account" too.
const rules: Array<[ConversationCategory, RegExp]> = [
  ['freeze', /冻结|解冻|凍結|frozen|freeze|unfreeze|locked/i],
  ['top_up', /充值|扣款|到账|top[\s-]?up|recharge|charged/i],
  ['card_binding', /绑卡|绑定|银行卡|綁定|bind(ing)? (a |my )?card|add(ing)? (a |my )?card/i],
  ['exchange', /兑换|换汇|汇率|兌換|exchange|currency|usd|美元/i],
  ['transactions', /转账|交易|流水|收款|轉帳|transfer|transaction|statement|payment/i],
  ['account', /密码|登录|注册|账户|账号|手机号|password|log ?in|sign ?in|account|register/i],
];

/** A first guess at what the mail is about, so it lands under the right category; agents correct it. */
export function guessCategory(subject: string, body: string): ConversationCategory {
  const text = `${subject}\n${body.slice(0, 2000)}`;
  return rules.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
}
