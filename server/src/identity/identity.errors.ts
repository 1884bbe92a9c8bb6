import { defineErrors } from '../platform/index.js';

export const IdentityError = defineErrors({
  email_taken: {
    status: 409,
    'zh-CN': '该邮箱已注册，请直接登录或找回密码',
    en: 'This email is already registered; sign in or reset your password',
  },
  phone_number_invalid: {
    status: 400,
    'zh-CN': '请填写带国家区号的手机号，例如 +8613800138000',
    en: 'Enter the number with its country code, e.g. +8613800138000',
  },
  phone_mobile_invalid: {
    status: 400,
    'zh-CN': '中国大陆手机号应为 11 位，以 13–19 开头，例如 +8613800138000',
    en: 'A mainland China mobile number has 11 digits starting 13–19, e.g. +8613800138000',
  },
  phone_code_too_soon: {
    status: 429,
    'zh-CN': '验证码已发送，请 {seconds} 秒后再试',
    en: 'A code was just sent; try again in {seconds} seconds',
  },
  phone_code_invalid: { status: 400, 'zh-CN': '验证码不正确', en: 'That code is not right' },
  phone_code_expired: {
    status: 400,
    'zh-CN': '验证码已失效，请重新获取',
    en: 'That code has expired or was tried too often; ask for a new one',
  },
  phone_taken: { status: 409, 'zh-CN': '该手机号已被其他账户使用', en: 'This phone number is already used by another account' },
  password_too_common: {
    status: 400,
    'zh-CN': '这个密码太常见，容易被猜到，请换一个',
    en: 'This password is too common and easy to guess; choose another',
  },
  password_contains_email: {
    status: 400,
    'zh-CN': '密码不能包含邮箱用户名',
    en: 'The password must not contain your email name',
  },
  invalid_credentials: { status: 401, 'zh-CN': '邮箱或密码不正确', en: 'The email or password is incorrect' },
  session_expired: { status: 401, 'zh-CN': '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  reset_token_invalid: {
    status: 400,
    'zh-CN': '重置链接无效或已过期，请重新申请',
    en: 'This reset link is invalid or has expired; request a new one',
  },
  verification_token_invalid: {
    status: 400,
    'zh-CN': '验证链接无效或已过期',
    en: 'This verification link is invalid or has expired',
  },
  session_not_found: { status: 404, 'zh-CN': '找不到该登录会话', en: 'That session was not found' },
  staff_email_taken: { status: 409, 'zh-CN': '该邮箱已是员工账户', en: 'A staff account with this email exists' },
});
