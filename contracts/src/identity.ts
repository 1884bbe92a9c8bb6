import { z } from 'zod';
import { localeSchema } from './locale.js';

export const passwordMinLength = 10;
export const passwordMaxLength = 128;

const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());
const passwordSchema = z.string().min(passwordMinLength).max(passwordMaxLength);
/** E.164-ish: optional +, 6–15 digits; separators are stripped by the client. */
export const phoneSchema = z.string().regex(/^\+?[0-9]{6,15}$/);

export const registerRequestSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().min(1).max(60),
  phone: phoneSchema.optional(),
  locale: localeSchema.optional(),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const loginRequestSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(passwordMaxLength),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

export const passwordResetConfirmSchema = z.strictObject({
  token: z.string().min(16).max(200),
  password: passwordSchema,
});
export type PasswordResetConfirm = z.infer<typeof passwordResetConfirmSchema>;

export const emailVerifyRequestSchema = z.strictObject({ token: z.string().min(16).max(200) });

export const customerSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  /** The customer proved the number is theirs with a texted code. */
  phoneVerified: z.boolean(),
  locale: localeSchema,
  emailVerified: z.boolean(),
  createdAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

/** Editors write help-centre articles; they take no chats. */
export const staffRoles = ['agent', 'supervisor', 'admin', 'editor'] as const;
export const staffRoleSchema = z.enum(staffRoles);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const staffMemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
  createdAt: z.string(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const sessionInfoSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  isCurrent: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });

/** Login answers with the token too, for the mobile app and API clients (Bearer). */
export const loginResponseSchema = z.object({
  customer: customerSchema,
  token: z.string(),
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export const staffLoginResponseSchema = z.object({
  staff: staffMemberSchema,
  token: z.string(),
  csrfToken: z.string(),
  expiresAt: z.string(),
});

/** The operator's time zone (TIME_ZONE), in which statements, day filters and reports are kept. */
const timeZoneField = { timeZone: z.string() };
export const meResponseSchema = z.object({ customer: customerSchema, csrfToken: z.string(), ...timeZoneField });
export const staffMeResponseSchema = z.object({ staff: staffMemberSchema, csrfToken: z.string(), ...timeZoneField });

/** The plain answer to a request that was accepted. */
export const acceptedResponseSchema = z.object({ ok: z.literal(true), message: z.string() });

export const updateProfileRequestSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(60).optional(),
  locale: localeSchema.optional(),
});
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

/** POST /api/me/phone: text a code to this number. */
export const phoneVerificationRequestSchema = z.strictObject({ phone: z.string().min(1).max(32) });
export const phoneVerificationSentSchema = z.object({ phone: z.string(), expiresAt: z.iso.datetime({ offset: true }) });
export type PhoneVerificationSent = z.infer<typeof phoneVerificationSentSchema>;
/** POST /api/me/phone/verify: the code that was texted. */
export const phoneVerificationCodeSchema = z.strictObject({ code: z.string().regex(/^\s*[0-9]{6}\s*$/) });
