import type { StaffMember } from '@okpay/contracts';
import type { StaffMemberRow } from './identity.repository.js';

export function toStaffView(row: StaffMemberRow): StaffMember {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}
