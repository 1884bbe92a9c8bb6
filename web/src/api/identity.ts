import {
  acceptedResponseSchema as acceptedSchema,
  type Locale,
  type LoginRequest,
  loginResponseSchema,
  meResponseSchema,
  phoneVerificationSentSchema,
  type RegisterRequest,
  sessionListSchema,
  staffLoginResponseSchema,
  staffMeResponseSchema,
} from '@okpay/contracts';
import { apiRequest } from './client';

export const registerCustomer = (body: RegisterRequest) =>
  apiRequest('/api/auth/register', { method: 'POST', body, schema: loginResponseSchema });

export const logIn = (body: LoginRequest) => apiRequest('/api/auth/login', { method: 'POST', body, schema: loginResponseSchema });

export const logOut = () => apiRequest('/api/auth/logout', { method: 'POST' });

export const getMe = () => apiRequest('/api/me', { schema: meResponseSchema });

export const updateMyLocale = (locale: Locale) => apiRequest('/api/me', { method: 'PATCH', body: { locale }, schema: meResponseSchema });

export const requestPasswordReset = (email: string) =>
  apiRequest('/api/auth/password-reset', { method: 'POST', body: { email }, schema: acceptedSchema });

export const confirmPasswordReset = (token: string, password: string) =>
  apiRequest('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password }, schema: acceptedSchema });

export const verifyEmail = (token: string) =>
  apiRequest('/api/auth/verify-email', { method: 'POST', body: { token }, schema: acceptedSchema });

export const sendPhoneCode = (phone: string) =>
  apiRequest('/api/me/phone', { method: 'POST', body: { phone }, schema: phoneVerificationSentSchema });

export const verifyPhoneCode = (code: string) =>
  apiRequest('/api/me/phone/verify', { method: 'POST', body: { code }, schema: meResponseSchema });

export const resendVerificationEmail = () => apiRequest('/api/auth/verify-email/resend', { method: 'POST', schema: acceptedSchema });

export const listMySessions = () => apiRequest('/api/auth/sessions', { schema: sessionListSchema });

export const revokeMySession = (id: string) => apiRequest(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const listStaffSessions = () => apiRequest('/api/agent/auth/sessions', { schema: sessionListSchema });

export const revokeStaffSession = (id: string) => apiRequest(`/api/agent/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const staffLogIn = (body: LoginRequest) =>
  apiRequest('/api/agent/auth/login', { method: 'POST', body, schema: staffLoginResponseSchema });

export const staffLogOut = () => apiRequest('/api/agent/auth/logout', { method: 'POST' });

export const getStaffMe = () => apiRequest('/api/agent/me', { schema: staffMeResponseSchema });
