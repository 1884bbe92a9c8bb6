// Identity owns customers, staff, sessions, password reset and the security audit trail of sign-ins.

export type { CustomerAuth, StaffAuth } from './auth.js';
export { customerOf, findCustomerAuth, findStaffAuth, requireCustomer, requireStaff, staffOf } from './auth.js';
export { createStaffMember } from './create-staff-member.js';
export { toCustomerView } from './customer-view.js';
export { emailVerificationTtlHours, passwordResetTtlMinutes } from './identity.emails.js';
export { IdentityError } from './identity.errors.js';
export { identityMessage } from './identity.messages.js';
export {
  type CustomerRow,
  findCustomerByEmail,
  findCustomerById,
  findCustomerByVerifiedPhone,
  findLiveParticipants,
  findStaffMemberByEmail,
  findStaffMemberById,
  findVerifiedCustomerByEmail,
  type StaffMemberRow,
} from './identity.repository.js';
export { registerIdentityRoutes } from './identity.routes.js';
export { customers, staffMembers } from './identity.tables.js';
export {
  newVisitorId,
  type RealtimeIdentity,
  sessionRefOf,
  signRealtimeToken,
  verifyRealtimeToken,
} from './realtime-tokens.js';
export { registerCustomer } from './register-customer.js';
export { requestPasswordResetByStaff } from './request-password-reset.js';
export { createSession, endedSessions, findSession, publicSessionId, type SessionRef, sessionRefKey } from './sessions.js';
export { toStaffView } from './staff-view.js';
