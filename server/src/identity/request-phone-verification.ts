import { randomInt } from 'node:crypto';
import { checkPhoneNumber, type Locale } from '@okpay/contracts';
import { type Deps, smsSender } from '../platform/index.js';
import { IdentityError } from './identity.errors.js';
import { findPhoneVerification, isPhoneTakenByOther, savePhoneVerification } from './identity.repository.js';
import { hmac } from './tokens.js';

export const phoneCodeTtlMs = 10 * 60_000;
const resendAfterMs = 60_000;

const texts: Record<Locale, (code: string) => string> = {
  'zh-CN': (code) => `【OKPay】您的验证码是 ${code}，10 分钟内有效。客服不会向您索要验证码，请勿告诉他人。`,
  en: (code) => `OKPay: your code is ${code}, valid for 10 minutes. We never ask you for this code; do not share it.`,
};

export function phoneCodeHash(secret: string, customerId: string, phone: string, code: string): string {
  return hmac(secret, `phone-code:${customerId}:${phone}:${code}`);
}

/**
 * A customer adds a phone number: a six-digit code goes to it by SMS (one a minute), valid for 10
 * minutes. The number becomes theirs, verified, only when they send the code back (verifyPhone).
 */
export async function requestPhoneVerification(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>,
  customerId: string,
  input: { phone: string; locale: Locale },
): Promise<{ phone: string; expiresAt: string }> {
  const checked = checkPhoneNumber(input.phone);
  if (!checked.ok) throw IdentityError(checked.problem === 'mainland_mobile' ? 'phone_mobile_invalid' : 'phone_number_invalid');
  const phone = checked.number;
  const now = deps.clock.now();
  const pending = await findPhoneVerification(deps.db, customerId);
  if (pending && now.getTime() - pending.sentAt.getTime() < resendAfterMs) {
    throw IdentityError('phone_code_too_soon', { seconds: Math.ceil((resendAfterMs - (now.getTime() - pending.sentAt.getTime())) / 1000) });
  }
  if (await isPhoneTakenByOther(deps.db, customerId, phone)) throw IdentityError('phone_taken');
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  const expiresAt = new Date(now.getTime() + phoneCodeTtlMs);
  await savePhoneVerification(deps.db, {
    customerId,
    phone,
    codeHash: phoneCodeHash(deps.config.sessionSecret, customerId, phone, code),
    attempts: 0,
    sentAt: now,
    expiresAt,
  });
  await smsSender(deps).send({ to: phone, text: texts[input.locale](code) });
  return { phone, expiresAt: expiresAt.toISOString() };
}
