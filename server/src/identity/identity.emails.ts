import type { Locale } from '@okpay/contracts';
import type { MailMessage } from '../platform/index.js';
import { renderEmail } from '../platform/index.js';

export const passwordResetTtlMinutes = 30;
export const emailVerificationTtlHours = 48;

export function passwordResetEmail(input: { to: string; name: string; locale: Locale; url: string }): MailMessage {
  const zh = input.locale === 'zh-CN';
  const body = renderEmail(input.locale, {
    greeting: zh ? `${input.name}，您好：` : `Hello ${input.name},`,
    paragraphs: zh
      ? [
          '我们收到了重设您 OKPay 账户密码的请求。请点击下面的按钮设置新密码。',
          `该链接 ${passwordResetTtlMinutes} 分钟内有效，且只能使用一次。重设后，所有已登录的设备都会退出，需要用新密码重新登录。`,
          '如果不是您本人操作，请忽略这封邮件，您的密码不会改变。',
        ]
      : [
          'We received a request to reset the password of your OKPay account. Use the button below to choose a new one.',
          `The link works once and expires in ${passwordResetTtlMinutes} minutes. After the reset, every signed-in device is signed out and you sign in again with the new password.`,
          'If you did not ask for this, ignore this email; your password stays the same.',
        ],
    action: { label: zh ? '重设密码' : 'Reset password', url: input.url },
    footnotes: [
      zh
        ? '没有收到邮件？请检查垃圾邮件文件夹；仍找不到时可在登录页重新申请，或联系在线客服。'
        : 'Email not arriving? Check your spam folder; if it is not there, request a new link from the sign-in page or contact our live chat.',
    ],
  });
  return { to: input.to, subject: zh ? 'OKPay 密码重设' : 'Reset your OKPay password', ...body };
}

export function passwordChangedEmail(input: { to: string; name: string; locale: Locale }): MailMessage {
  const zh = input.locale === 'zh-CN';
  const body = renderEmail(input.locale, {
    greeting: zh ? `${input.name}，您好：` : `Hello ${input.name},`,
    paragraphs: zh
      ? ['您的 OKPay 密码刚刚被重设，所有设备均已退出登录。', '如果这不是您本人操作，请立即联系 OKPay 客服。']
      : [
          'The password of your OKPay account was just reset and every device was signed out.',
          'If this was not you, contact OKPay customer service at once.',
        ],
  });
  return { to: input.to, subject: zh ? 'OKPay 密码已重设' : 'Your OKPay password was reset', ...body };
}

export function emailVerificationEmail(input: { to: string; name: string; locale: Locale; url: string }): MailMessage {
  const zh = input.locale === 'zh-CN';
  const body = renderEmail(input.locale, {
    greeting: zh ? `${input.name}，欢迎使用 OKPay：` : `Welcome to OKPay, ${input.name}.`,
    paragraphs: zh
      ? ['请点击下面的按钮验证您的邮箱地址。', `该链接 ${emailVerificationTtlHours} 小时内有效。`]
      : ['Please confirm your email address with the button below.', `The link expires in ${emailVerificationTtlHours} hours.`],
    action: { label: zh ? '验证邮箱' : 'Verify email', url: input.url },
    footnotes: [zh ? '没有收到邮件？请检查垃圾邮件文件夹。' : 'Email not arriving? Check your spam folder.'],
  });
  return { to: input.to, subject: zh ? '请验证您的 OKPay 邮箱' : 'Verify your OKPay email', ...body };
}
