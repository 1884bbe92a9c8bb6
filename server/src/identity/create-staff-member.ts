import type { StaffRole } from '@okpay/contracts';
import type { Deps } from '../platform/index.js';
import { type Actor, recordAudit, uniqueViolation, withTransaction } from '../platform/index.js';
import { IdentityError } from './identity.errors.js';
import { insertStaffMember } from './identity.repository.js';
import { findPasswordProblem, hashPassword } from './passwords.js';

export type NewStaffMember = {
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
  chatCapacity?: number;
};

export async function createStaffMember(deps: Pick<Deps, 'db'>, input: NewStaffMember, actor: Actor) {
  const problem = findPasswordProblem(input.password, input.email);
  if (problem) throw IdentityError(problem);
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(deps.db.$client, async (tx) => {
      const row = await insertStaffMember(tx, {
        email: input.email.trim().toLowerCase(),
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        chatCapacity: input.chatCapacity ?? 3,
      });
      await recordAudit(tx, {
        actor,
        action: 'staff.created',
        target: { type: 'staff', id: row.id },
        details: { role: input.role },
      });
      return row;
    });
  } catch (error) {
    if (uniqueViolation(error) === 'staff_members_email_key') throw IdentityError('staff_email_taken');
    throw error;
  }
}
