import type { StaffMember, StaffRole } from '@okpay/contracts';
import type { staffMembers } from './identity.tables.js';

export function toStaffView(row: typeof staffMembers.$inferSelect): StaffMember {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role as StaffRole,
    createdAt: row.createdAt.toISOString(),
  };
}
