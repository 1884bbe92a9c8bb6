import type { StaffRole } from '@okpay/contracts';
import { type Actor, recordAudit } from '../platform/audit.js';
import { uniqueViolation } from '../platform/db/errors.js';
import type { Deps } from '../platform/deps.js';
import { IdentityError } from './identity.errors.js';
import { staffMembers } from './identity.tables.js';
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
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(staffMembers)
        .values({
          email: input.email.trim().toLowerCase(),
          displayName: input.displayName,
          role: input.role,
          passwordHash,
          chatCapacity: input.chatCapacity ?? 3,
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
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
