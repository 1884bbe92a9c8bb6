import { defineMessages } from '../platform/index.js';

/** What identity tells people when something went right. */
export const identityMessage = defineMessages({
  password_reset_requested: {
    'zh-CN': '如果该邮箱已注册，重设密码的邮件已发出，请查收（也请检查垃圾邮件文件夹）。',
    en: 'If this email is registered, a reset link is on its way; check your inbox and spam folder.',
  },
  password_reset_done: { 'zh-CN': '密码已重设，请用新密码登录。', en: 'Your password was reset; sign in with the new one.' },
  email_verified: { 'zh-CN': '邮箱已验证', en: 'Your email is verified' },
  verification_email_sent: { 'zh-CN': '验证邮件已发送', en: 'Verification email sent' },
  password_reset_sent_by_staff: { 'zh-CN': '重设密码邮件已发送', en: 'Password-reset email sent' },
});
