import type { StaffRole } from '@okpay/contracts';

/** Who is acting in a conversation. Identities come only from signed tokens or sessions. */
export type Participant =
  | { kind: 'customer'; customerId: string; name: string }
  | { kind: 'visitor'; visitorId: string; name: string | null }
  | { kind: 'staff'; staffId: string; name: string; role: StaffRole };

/** A signed-in staff member (as the session knows them) acting in a conversation. */
export function staffParticipant(staff: { staffId: string; displayName: string; role: StaffRole }): Participant & { kind: 'staff' } {
  return { kind: 'staff', staffId: staff.staffId, name: staff.displayName, role: staff.role };
}

export function authorTypeOf(participant: Participant): 'customer' | 'visitor' | 'agent' {
  return participant.kind === 'staff' ? 'agent' : participant.kind;
}

export function authorIdOf(participant: Participant): string {
  return participant.kind === 'customer'
    ? participant.customerId
    : participant.kind === 'visitor'
      ? participant.visitorId
      : participant.staffId;
}

export function readerOf(participant: Participant): { type: string; id: string } {
  // Every staff member reads on behalf of "the agent side"; per-agent reads are kept too.
  return { type: participant.kind, id: authorIdOf(participant) };
}
