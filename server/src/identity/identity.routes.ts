import {
  acceptedResponseSchema,
  emailVerifyRequestSchema,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  noContentSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  phoneVerificationCodeSchema,
  phoneVerificationRequestSchema,
  phoneVerificationSentSchema,
  registerRequestSchema,
  sessionListSchema,
  staffLoginResponseSchema,
  staffMeResponseSchema,
  updateProfileRequestSchema,
} from '@okpay/contracts';
import { z } from 'zod';
import { type App, clientInfo, createRateLimiter, type Deps } from '../platform/index.js';
import {
  clearSessionCookie,
  customerCookie,
  customerOf,
  requireCustomer,
  requireStaff,
  setSessionCookie,
  staffCookie,
  staffOf,
} from './auth.js';
import { getCustomer } from './get-customer.js';
import { getStaffMember } from './get-staff-member.js';
import { identityMessage } from './identity.messages.js';
import { listSignedInDevices } from './list-signed-in-devices.js';
import { logIn } from './log-in.js';
import { logOut } from './log-out.js';
import { registerCustomer } from './register-customer.js';
import { requestPasswordReset } from './request-password-reset.js';
import { requestPhoneVerification } from './request-phone-verification.js';
import { resendVerificationEmail } from './resend-verification-email.js';
import { resetPassword } from './reset-password.js';
import { csrfTokenFor, type NewSession } from './sessions.js';
import { signOutDevice } from './sign-out-device.js';
import { updateProfile } from './update-profile.js';
import { verifyEmail } from './verify-email.js';
import { verifyPhone } from './verify-phone.js';

const sessionParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

/** What a sign-in answers besides the account: the token serves Bearer clients. */
function sessionFields(created: NewSession) {
  return { token: created.token, csrfToken: created.csrfToken, expiresAt: created.session.expiresAt.toISOString() };
}

export async function registerIdentityRoutes(app: App, deps: Deps) {
  const window = deps.config.rateLimits.windowMinutes * 60;
  const limits = deps.config.rateLimits;
  const loginLimits = {
    perAccount: createRateLimiter(deps.pool, 'login-account', limits.loginPerAccount, window),
    perIp: createRateLimiter(deps.pool, 'login-ip', limits.loginPerIp, window),
  };
  const resetLimits = {
    perAccount: createRateLimiter(deps.pool, 'reset-account', limits.resetPerAccount, window),
    perIp: createRateLimiter(deps.pool, 'reset-ip', limits.resetPerIp, window),
  };
  const customerOnly = requireCustomer(deps);
  const staffOnly = requireStaff(deps);
  const csrfTokenOf = (sessionId: string) => csrfTokenFor(deps.config.sessionSecret, sessionId);

  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['identity'],
        summary: 'Register a customer account and sign in',
        body: registerRequestSchema,
        response: { 201: loginResponseSchema },
      },
    },
    async (request, reply) => {
      const { customer, session } = await registerCustomer(deps, {
        ...request.body,
        locale: request.body.locale ?? request.locale,
        client: clientInfo(request),
      });
      setSessionCookie(deps, reply, customerCookie, session);
      return reply.status(201).send({ customer, ...sessionFields(session) });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign in as a customer; the token in the body serves Bearer clients',
        body: loginRequestSchema,
        response: { 200: loginResponseSchema },
      },
    },
    async (request, reply) => {
      const { customer, session } = await logIn(deps, 'customer', { ...request.body, client: clientInfo(request) }, loginLimits);
      setSessionCookie(deps, reply, customerCookie, session);
      return { customer, ...sessionFields(session) };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'End the current session', response: { 204: noContentSchema } }, preHandler: customerOnly },
    async (request, reply) => {
      const auth = customerOf(request);
      await logOut(deps, { session: auth.session, actor: { type: 'customer', id: auth.customerId }, ip: request.ip });
      clearSessionCookie(deps, reply, customerCookie);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: ['identity'], summary: 'The signed-in customer', response: { 200: meResponseSchema } }, preHandler: customerOnly },
    async (request) => {
      const auth = customerOf(request);
      return {
        customer: await getCustomer(deps, auth.customerId),
        csrfToken: csrfTokenOf(auth.session.id),
        timeZone: deps.config.timeZone,
      };
    },
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Change display name or language',
        body: updateProfileRequestSchema,
        response: { 200: meResponseSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const auth = customerOf(request);
      const customer = await updateProfile(deps, auth.customerId, request.body);
      return { customer, csrfToken: csrfTokenOf(auth.session.id), timeZone: deps.config.timeZone };
    },
  );

  app.post(
    '/api/me/phone',
    {
      schema: {
        tags: ['identity'],
        summary: 'Add a phone number: a six-digit code is texted to it (one a minute, valid 10 minutes)',
        body: phoneVerificationRequestSchema,
        response: { 202: phoneVerificationSentSchema },
      },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const sent = await requestPhoneVerification(deps, customerOf(request).customerId, {
        phone: request.body.phone,
        locale: request.locale,
      });
      return reply.status(202).send(sent);
    },
  );

  app.post(
    '/api/me/phone/verify',
    {
      schema: {
        tags: ['identity'],
        summary: 'Send back the texted code: the number becomes the account’s, verified',
        body: phoneVerificationCodeSchema,
        response: { 200: meResponseSchema },
      },
      preHandler: customerOnly,
    },
    async (request) => {
      const auth = customerOf(request);
      const customer = await verifyPhone(deps, auth.customerId, request.body.code);
      return { customer, csrfToken: csrfTokenOf(auth.session.id), timeZone: deps.config.timeZone };
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['identity'],
        summary: 'Email a password-reset link; the answer is the same whether or not the account exists',
        body: passwordResetRequestSchema,
        response: { 202: acceptedResponseSchema },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, { email: request.body.email, client: clientInfo(request) }, resetLimits);
      return reply.status(202).send({
        ok: true,
        message: identityMessage('password_reset_requested', request.locale),
      });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['identity'],
        summary: 'Set a new password with the emailed token; all sessions end',
        body: passwordResetConfirmSchema,
        response: { 200: acceptedResponseSchema },
      },
    },
    async (request) => {
      await resetPassword(deps, { ...request.body, client: clientInfo(request) });
      return { ok: true as const, message: identityMessage('password_reset_done', request.locale) };
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      schema: {
        tags: ['identity'],
        summary: 'Confirm an email address with the emailed token',
        body: emailVerifyRequestSchema,
        response: { 200: acceptedResponseSchema },
      },
    },
    async (request) => {
      await verifyEmail(deps, { token: request.body.token, ip: request.ip });
      return { ok: true as const, message: identityMessage('email_verified', request.locale) };
    },
  );

  app.post(
    '/api/auth/verify-email/resend',
    {
      schema: { tags: ['identity'], summary: 'Send the verification email again', response: { 202: acceptedResponseSchema } },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      await resendVerificationEmail(deps, customerOf(request).customerId, resetLimits.perAccount);
      return reply.status(202).send({ ok: true, message: identityMessage('verification_email_sent', request.locale) });
    },
  );

  app.get(
    '/api/auth/sessions',
    { schema: { tags: ['identity'], summary: 'Signed-in devices', response: { 200: sessionListSchema } }, preHandler: customerOnly },
    async (request) => {
      const auth = customerOf(request);
      return { sessions: await listSignedInDevices(deps, auth.session.principal, auth.session.id) };
    },
  );

  app.delete(
    '/api/auth/sessions/:id',
    {
      schema: { tags: ['identity'], summary: 'Sign a device out', params: sessionParamsSchema, response: { 204: noContentSchema } },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const auth = customerOf(request);
      await signOutDevice(deps, {
        principal: auth.session.principal,
        publicId: request.params.id,
        actor: { type: 'customer', id: auth.customerId },
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  // Staff sign in on their own page and cookie, so one browser can hold both roles.
  app.post(
    '/api/agent/auth/login',
    {
      schema: {
        tags: ['staff'],
        summary: 'Sign in as an agent, supervisor or admin',
        body: loginRequestSchema,
        response: { 200: staffLoginResponseSchema },
      },
    },
    async (request, reply) => {
      const { staff, session } = await logIn(deps, 'staff', { ...request.body, client: clientInfo(request) }, loginLimits);
      setSessionCookie(deps, reply, staffCookie, session);
      return { staff, ...sessionFields(session) };
    },
  );

  app.post(
    '/api/agent/auth/logout',
    { schema: { tags: ['staff'], summary: 'End the staff session', response: { 204: noContentSchema } }, preHandler: staffOnly },
    async (request, reply) => {
      const auth = staffOf(request);
      await logOut(deps, { session: auth.session, actor: { type: 'staff', id: auth.staffId }, ip: request.ip });
      clearSessionCookie(deps, reply, staffCookie);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/agent/me',
    { schema: { tags: ['staff'], summary: 'The signed-in staff member', response: { 200: staffMeResponseSchema } }, preHandler: staffOnly },
    async (request) => {
      const auth = staffOf(request);
      return { staff: await getStaffMember(deps, auth.staffId), csrfToken: csrfTokenOf(auth.session.id), timeZone: deps.config.timeZone };
    },
  );

  app.get(
    '/api/agent/auth/sessions',
    {
      schema: { tags: ['staff'], summary: 'Signed-in devices of this staff member', response: { 200: sessionListSchema } },
      preHandler: staffOnly,
    },
    async (request) => {
      const auth = staffOf(request);
      return { sessions: await listSignedInDevices(deps, auth.session.principal, auth.session.id) };
    },
  );

  app.delete(
    '/api/agent/auth/sessions/:id',
    {
      schema: { tags: ['staff'], summary: 'Sign a staff device out', params: sessionParamsSchema, response: { 204: noContentSchema } },
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const auth = staffOf(request);
      await signOutDevice(deps, {
        principal: auth.session.principal,
        publicId: request.params.id,
        actor: { type: 'staff', id: auth.staffId },
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
