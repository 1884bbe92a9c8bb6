import type { FreezeReason, Locale, VerificationLevel } from '@okpay/contracts';

type Localised = Record<Locale, string>;

/**
 * What a freeze means and what to do, per reason, as the customer reads it. Deliberately vague
 * about what triggered an abnormal-activity freeze: AML rules forbid tipping off the customer.
 */
const freezeTexts: Record<FreezeReason, { meaning: Localised; whatToDo: Localised }> = {
  abnormal_activity: {
    meaning: {
      'zh-CN': '我们发现您的账户存在异常活动。为保护您的资金安全，账户已暂时冻结，资金无法转入或转出。您仍可登录、查看交易记录并联系客服。',
      en: 'We noticed unusual activity on your account. To keep your money safe, it is frozen for now and money cannot move in or out. You can still sign in, see your history and chat with us.',
    },
    whatToDo: {
      'zh-CN': '请在本页完成身份验证（填写实名信息并上传证件照片）。审核通过后，我们会复核账户并为您解除冻结；如有疑问请联系在线客服。',
      en: 'Verify your identity on this page (your real name and a photo of your ID). Once it is approved we review the account and lift the freeze; contact live chat with any questions.',
    },
  },
  identity_unverified: {
    meaning: {
      'zh-CN':
        '您的账户近期收到较大金额，但尚未完成身份验证。根据监管要求，账户已暂时冻结，完成验证前资金无法转入或转出，您的余额是安全的。',
      en: 'Your account received a large amount but your identity is not verified yet. Regulations require us to freeze the account, so money cannot move in or out until it is; your balance is safe.',
    },
    whatToDo: {
      'zh-CN': '请在本页提交实名信息和证件照片。审核通过后，我们会为您解除冻结。',
      en: 'Submit your real name and a photo of your ID on this page. After approval we lift the freeze.',
    },
  },
  policy_violation: {
    meaning: {
      'zh-CN': '您的账户因可能违反《OKPay 用户协议》被暂时冻结，资金无法转入或转出。',
      en: 'Your account is frozen because of a possible breach of the OKPay terms of use; money cannot move in or out.',
    },
    whatToDo: {
      'zh-CN': '请联系在线客服了解详情并提交说明。客服无法当场解冻，审核完成后我们会通知您结果。',
      en: 'Contact live chat to learn more and give your explanation. Agents cannot lift the freeze on the spot; we will tell you the outcome after review.',
    },
  },
  customer_request: {
    meaning: {
      'zh-CN': '您已申请冻结账户（例如手机丢失）。冻结期间资金无法转入或转出，您的余额是安全的。',
      en: 'You asked us to freeze your account (for example after losing your phone). Money cannot move in or out while it is frozen, and your balance is safe.',
    },
    whatToDo: {
      'zh-CN': '如需解冻，请联系在线客服。为确认是您本人操作，我们可能会请您完成身份验证。',
      en: 'To unfreeze, contact live chat. To make sure it is you, we may ask you to verify your identity.',
    },
  },
};

const levelMessages: Record<VerificationLevel, Localised> = {
  unverified: {
    'zh-CN': '您尚未完成身份验证。',
    en: 'Your identity is not verified yet.',
  },
  pending: {
    'zh-CN': '您的身份验证资料正在审核中，审核结果会显示在本页。',
    en: 'Your identity documents are being reviewed; the result will appear on this page.',
  },
  verified: {
    'zh-CN': '您的身份已验证。',
    en: 'Your identity is verified.',
  },
  rejected: {
    'zh-CN': '您的身份验证未通过。请核对姓名与证件号码，并上传清晰、完整、未遮挡的证件照片后重新提交。',
    en: 'Your identity verification was not approved. Check your name and ID number, then submit again with a clear photo showing the whole document.',
  },
};

export function describeFreeze(reason: FreezeReason, locale: Locale): { meaning: string; whatToDo: string } {
  const texts = freezeTexts[reason];
  return { meaning: texts.meaning[locale], whatToDo: texts.whatToDo[locale] };
}

export function describeVerificationLevel(level: VerificationLevel, locale: Locale): string {
  return levelMessages[level][locale];
}
