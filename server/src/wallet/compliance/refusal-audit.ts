import type { StaffRole } from '@okpay/contracts';
import type { StaffAuth } from '../../identity/index.js';
import type { Database } from '../../platform/index.js';
import { AppError, type AuditEvent, PlatformError, recordAudit } from '../../platform/index.js';

/** Roles that may read identity documents and act as the checker on decisions. */
export const checkerRoles: readonly StaffRole[] = ['supervisor', 'admin'];

export function isChecker(staff: Pick<StaffAuth, 'role'>): boolean {
  return checkerRoles.includes(staff.role);
}

export function assertChecker(staff: Pick<StaffAuth, 'role'>): void {
  if (!isChecker(staff)) throw PlatformError('forbidden');
}

/**
 * Runs a sensitive action and, when it is refused, records the attempt as a failed audit event.
 * The refusal rolls its transaction back, so the event is written on its own afterwards
 * (PCI DSS 10.2: failed access attempts are logged too).
 */
export async function auditRefusals<T>(db: Database, attempt: Omit<AuditEvent, 'outcome'>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      await recordAudit(db, { ...attempt, outcome: 'failure', details: { ...attempt.details, code: error.code } });
    }
    throw error;
  }
}
