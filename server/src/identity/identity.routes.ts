import {
  acceptedResponseSchema,
  emailVerifyRequestSchema,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  noContentSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  registerRequestSchema,
  sessionInfoSchema,
  staffLoginResponseSchema,
  staffMeResponseSchema,
  updateProfileRequestSchema,
} from '@okpay/contracts';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { PlatformError } from '../platform/errors.js';
import { createRateLimiter } from '../platform/http/rate-limit.js';
import { type App, clientInfo } from '../platform/http/types.js';
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
import { toCustomerView } from './customer-view.js';
import { issueEmailToken } from './email-tokens.js';
import { emailVerificationEmail, emailVerificationTtlHours } from './identity.emails.js';
import { IdentityError } from './identity.errors.js';
import { customers, staffMembers } from './identity.tables.js';
import { logIn } from './log-in.js';
import { registerCustomer } from './register-customer.js';
import { requestPasswordReset } from './request-password-reset.js';
import { resetPassword } from './reset-password.js';
import {
  csrfTokenFor,
  findSessionByPublicId,
  listLiveSessions,
  type Principal,
  publicSessionId,
  revokeSession,
  type Session,
} from './sessions.js';
import { toStaffView } from './staff-view.js';
import { verifyEmail } from './verify-email.js';

const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });
const sessionParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

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

  async function loadCustomer(id: string) {
    const [row] = await deps.db.select().from(customers).where(eq(customers.id, id));
    if (!row) throw PlatformError('unauthenticated');
    return row;
  }

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
      return reply.status(201).send({
        customer,
        token: session.token,
        csrfToken: session.csrfToken,
        expiresAt: session.session.expiresAt.toISOString(),
      });
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
      const { accountId, created } = await logIn(deps, 'customer', { ...request.body, client: clientInfo(request) }, loginLimits);
      setSessionCookie(deps, reply, customerCookie, created);
      return {
        customer: toCustomerView(await loadCustomer(accountId)),
        token: created.token,
        csrfToken: created.csrfToken,
        expiresAt: created.session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'End the current session', response: { 204: noContentSchema } }, preHandler: customerOnly },
    async (request, reply) => {
      const auth = customerOf(request);
      await endSession(auth.session, { type: 'customer', id: auth.customerId }, request.ip);
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
        customer: toCustomerView(await loadCustomer(auth.customerId)),
        csrfToken: csrfTokenFor(deps.config.sessionSecret, auth.session.id),
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
      const [row] = await deps.db
        .update(customers)
        .set({ ...request.body, updatedAt: deps.clock.now() })
        .where(eq(customers.id, auth.customerId))
        .returning();
      if (!row) throw PlatformError('unauthenticated');
      return {
        customer: toCustomerView(row),
        csrfToken: csrfTokenFor(deps.config.sessionSecret, auth.session.id),
        timeZone: deps.config.timeZone,
      };
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
        message:
          request.locale === 'zh-CN'
            ? '如果该邮箱已注册，重设密码的邮件已发出，请查收（也请检查垃圾邮件文件夹）。'
            : 'If this email is registered, a reset link is on its way; check your inbox and spam folder.',
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
      return {
        ok: true as const,
        message: request.locale === 'zh-CN' ? '密码已重设，请用新密码登录。' : 'Your password was reset; sign in with the new one.',
      };
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
      return { ok: true as const, message: request.locale === 'zh-CN' ? '邮箱已验证' : 'Your email is verified' };
    },
  );

  app.post(
    '/api/auth/verify-email/resend',
    {
      schema: { tags: ['identity'], summary: 'Send the verification email again', response: { 202: acceptedResponseSchema } },
      preHandler: customerOnly,
    },
    async (request, reply) => {
      const auth = customerOf(request);
      await resetLimits.perAccount.consume(`verify:${auth.customerId}`);
      const customer = await loadCustomer(auth.customerId);
      if (!customer.emailVerifiedAt) {
        const token = await issueEmailToken(deps.db, {
          customerId: customer.id,
          purpose: 'email_verification',
          now: deps.clock.now(),
          ttlMs: emailVerificationTtlHours * 3_600_000,
        });
        await deps.mailer.send(
          emailVerificationEmail({
            to: customer.email,
            name: customer.displayName,
            locale: toCustomerView(customer).locale,
            url: `${deps.config.publicUrl}/verify-email?token=${token}`,
          }),
        );
      }
      return reply.status(202).send({ ok: true, message: request.locale === 'zh-CN' ? '验证邮件已发送' : 'Verification email sent' });
    },
  );

  async function listSessions(principal: Principal, current: Session) {
    const rows = await listLiveSessions(deps, principal);
    return {
      sessions: rows.map((row) => ({
        id: publicSessionId(row.id),
        createdAt: row.createdAt.toISOString(),
        lastSeenAt: row.lastSeenAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        ip: row.ip,
        userAgent: row.userAgent,
        isCurrent: row.id === current.id,
      })),
    };
  }

  async function revokeByPublicId(principal: Principal, publicId: string, actor: { type: 'customer' | 'staff'; id: string }, ip: string) {
    const sessionId = await findSessionByPublicId(deps.db, principal, publicId);
    if (!sessionId) throw IdentityError('session_not_found');
    await deps.db.transaction(async (tx) => {
      await revokeSession(tx, sessionId, deps.clock.now());
      await recordAudit(tx, { actor, action: 'session.revoked', target: { type: 'session', id: publicId }, ip });
    });
  }

  async function endSession(session: Session, actor: { type: 'customer' | 'staff'; id: string }, ip: string) {
    await deps.db.transaction(async (tx) => {
      await revokeSession(tx, session.id, deps.clock.now());
      await recordAudit(tx, { actor, action: 'session.logged_out', target: { type: 'session', id: publicSessionId(session.id) }, ip });
    });
  }

  app.get(
    '/api/auth/sessions',
    { schema: { tags: ['identity'], summary: 'Signed-in devices', response: { 200: sessionListSchema } }, preHandler: customerOnly },
    async (request) => {
      const auth = customerOf(request);
      return listSessions(auth.session.principal, auth.session);
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
      await revokeByPublicId(auth.session.principal, request.params.id, { type: 'customer', id: auth.customerId }, request.ip);
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
      const { accountId, created } = await logIn(deps, 'staff', { ...request.body, client: clientInfo(request) }, loginLimits);
      setSessionCookie(deps, reply, staffCookie, created);
      const [staff] = await deps.db.select().from(staffMembers).where(eq(staffMembers.id, accountId));
      if (!staff) throw PlatformError('unauthenticated');
      return {
        staff: toStaffView(staff),
        token: created.token,
        csrfToken: created.csrfToken,
        expiresAt: created.session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/agent/auth/logout',
    { schema: { tags: ['staff'], summary: 'End the staff session', response: { 204: noContentSchema } }, preHandler: staffOnly },
    async (request, reply) => {
      const auth = staffOf(request);
      await endSession(auth.session, { type: 'staff', id: auth.staffId }, request.ip);
      clearSessionCookie(deps, reply, staffCookie);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/agent/me',
    { schema: { tags: ['staff'], summary: 'The signed-in staff member', response: { 200: staffMeResponseSchema } }, preHandler: staffOnly },
    async (request) => {
      const auth = staffOf(request);
      const [staff] = await deps.db.select().from(staffMembers).where(eq(staffMembers.id, auth.staffId));
      if (!staff) throw PlatformError('unauthenticated');
      return {
        staff: toStaffView(staff),
        csrfToken: csrfTokenFor(deps.config.sessionSecret, auth.session.id),
        timeZone: deps.config.timeZone,
      };
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
      return listSessions(auth.session.principal, auth.session);
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
      await revokeByPublicId(auth.session.principal, request.params.id, { type: 'staff', id: auth.staffId }, request.ip);
      return reply.status(204).send(null);
    },
  );
}
