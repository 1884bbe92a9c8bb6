import { type StaffRole, staffRoles } from '@okpay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/index.js';
import { defineGuard, type Guard, PlatformError, type SecurityRequirement } from '../platform/index.js';
import { findStaffMemberById } from './identity.repository.js';
import { csrfTokenFor, findSession, type NewSession, type Session } from './sessions.js';
import { safeEqual } from './tokens.js';

export const customerCookie = 'okpay_session';
export const staffCookie = 'okpay_staff_session';

export type CustomerAuth = { session: Session; customerId: string; viaCookie: boolean };
export type StaffAuth = {
  session: Session;
  staffId: string;
  role: StaffRole;
  displayName: string;
  email: string;
  viaCookie: boolean;
};

declare module 'fastify' {
  interface FastifyRequest {
    customerAuth?: CustomerAuth;
    staffAuth?: StaffAuth;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice('Bearer '.length).trim();
  return token.length > 0 && token.length < 200 ? token : undefined;
}

async function resolveSession(
  deps: Deps,
  request: FastifyRequest,
  cookieName: string,
): Promise<{ session: Session; viaCookie: boolean } | undefined> {
  const bearer = bearerToken(request);
  const token = bearer ?? request.cookies[cookieName];
  if (!token || token.length > 200) return undefined;
  const session = await findSession(deps, token);
  if (!session) return undefined;
  const viaCookie = bearer === undefined;
  // Cookies ride along on cross-site requests; Bearer tokens do not, so only cookies need CSRF proof.
  if (viaCookie && !safeMethods.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(deps.config.sessionSecret, session.id))) {
      throw PlatformError('csrf_failed');
    }
  }
  return { session, viaCookie };
}

export async function findCustomerAuth(deps: Deps, request: FastifyRequest): Promise<CustomerAuth | undefined> {
  if (request.customerAuth) return request.customerAuth;
  const resolved = await resolveSession(deps, request, customerCookie);
  if (resolved?.session.principal.kind !== 'customer') return undefined;
  request.customerAuth = { ...resolved, customerId: resolved.session.principal.customerId };
  return request.customerAuth;
}

export async function findStaffAuth(deps: Deps, request: FastifyRequest): Promise<StaffAuth | undefined> {
  if (request.staffAuth) return request.staffAuth;
  const resolved = await resolveSession(deps, request, staffCookie);
  if (resolved?.session.principal.kind !== 'staff') return undefined;
  const staff = await findStaffMemberById(deps.db, resolved.session.principal.staffId);
  if (!staff?.isActive) return undefined;
  request.staffAuth = {
    ...resolved,
    staffId: staff.id,
    role: staff.role,
    displayName: staff.displayName,
    email: staff.email,
  };
  return request.staffAuth;
}

/** Bearer token, or the session cookie plus the CSRF header for state changes (see resolveSession). */
function sessionSecurity(cookieScheme: string) {
  return (method: string): SecurityRequirement[] => [
    { bearer: [] },
    safeMethods.has(method) ? { [cookieScheme]: [] } : { [cookieScheme]: [], csrfToken: [] },
  ];
}

const csrfRefusal = 'A cookie session changed state without the x-csrf-token header (csrf_failed)';

/** Guard: the request must come from a signed-in customer. */
export function requireCustomer(deps: Deps): Guard {
  return defineGuard(
    { security: sessionSecurity('customerSession'), refusals: { 401: 'Not signed in (unauthenticated)', 403: csrfRefusal } },
    async (request) => {
      if (!(await findCustomerAuth(deps, request))) throw PlatformError('unauthenticated');
    },
  );
}

/** Guard: the request must come from a signed-in staff member holding one of the roles. */
export function requireStaff(deps: Deps, roles: readonly StaffRole[] = ['agent', 'supervisor', 'admin']): Guard {
  const onlySome = staffRoles.some((role) => !roles.includes(role));
  return defineGuard(
    {
      security: sessionSecurity('staffSession'),
      refusals: {
        401: 'No staff session (unauthenticated)',
        403: onlySome ? `Only for ${roles.join(' and ')} (forbidden), or ${csrfRefusal}` : csrfRefusal,
      },
    },
    async (request) => {
      const staff = await findStaffAuth(deps, request);
      if (!staff) throw PlatformError('unauthenticated');
      if (!roles.includes(staff.role)) throw PlatformError('forbidden');
    },
  );
}

export function customerOf(request: FastifyRequest): CustomerAuth {
  if (!request.customerAuth) throw PlatformError('unauthenticated');
  return request.customerAuth;
}

export function staffOf(request: FastifyRequest): StaffAuth {
  if (!request.staffAuth) throw PlatformError('unauthenticated');
  return request.staffAuth;
}

export function setSessionCookie(deps: Deps, reply: FastifyReply, cookieName: string, created: NewSession): void {
  reply.setCookie(cookieName, created.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https://'),
    path: '/',
    expires: created.session.expiresAt,
  });
}

export function clearSessionCookie(deps: Deps, reply: FastifyReply, cookieName: string): void {
  reply.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.publicUrl.startsWith('https://') });
}
