import type { StaffMember } from '@okpay/contracts';
import { type Deps, PlatformError } from '../platform/index.js';
import { findStaffMemberById } from './identity.repository.js';
import { toStaffView } from './staff-view.js';

/** The signed-in staff member; a session whose staff member is gone reads as signed out. */
export async function getStaffMember(deps: Pick<Deps, 'db'>, staffId: string): Promise<StaffMember> {
  const row = await findStaffMemberById(deps.db, staffId);
  if (!row) throw PlatformError('unauthenticated');
  return toStaffView(row);
}
