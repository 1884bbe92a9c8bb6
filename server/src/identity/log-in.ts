import type { Customer, LoginRequest, StaffMember } from '@okpay/contracts';
import { type Deps, type RateLimiter, recordAudit, withTransaction } from '../platform/index.js';
import { toCustomerView } from './customer-view.js';
import { IdentityError } from './identity.errors.js';
import { findCustomerByEmail, findStaffMemberByEmail } from './identity.repository.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import type { ClientInfo } from './register-customer.js';
import { createSession, type NewSession, type Principal } from './sessions.js';
import { toStaffView } from './staff-view.js';

export type LoginLimits = { perAccount: RateLimiter; perIp: RateLimiter };

type Account = { id: string; passwordHash: string; principal: Principal; isActive: boolean; view: Customer | StaffMember };

async function findAccount(deps: Deps, kind: Principal['kind'], email: string): Promise<Account | undefined> {
  if (kind === 'customer') {
    const row = await findCustomerByEmail(deps.db, email);
    return (
      row && {
        id: row.id,
        passwordHash: row.passwordHash,
        principal: { kind, customerId: row.id },
        isActive: true,
        view: toCustomerView(row),
      }
    );
  }
  const row = await findStaffMemberByEmail(deps.db, email);
  return (
    row && {
      id: row.id,
      passwordHash: row.passwordHash,
      principal: { kind, staffId: row.id },
      isActive: row.isActive,
      view: toStaffView(row),
    }
  );
}

type LoginInput = LoginRequest & { client: ClientInfo };

/**
 * Checks the password and opens a session. Unknown emails cost the same argon2 work as known ones,
 * and both answer `invalid_credentials`, so the answer tells nothing about which emails exist.
 */
export async function logIn(
  deps: Deps,
  kind: 'customer',
  input: LoginInput,
  limits: LoginLimits,
): Promise<{ customer: Customer; session: NewSession }>;
export async function logIn(
  deps: Deps,
  kind: 'staff',
  input: LoginInput,
  limits: LoginLimits,
): Promise<{ staff: StaffMember; session: NewSession }>;
export async function logIn(deps: Deps, kind: Principal['kind'], input: LoginInput, limits: LoginLimits) {
  // Failed attempts count against both the address and the account (ASVS 2.2.1).
  const ipKey = `${kind}:${input.client.ip ?? 'unknown'}`;
  const accountKey = `${kind}:${input.email}`;
  await limits.perIp.check(ipKey);
  await limits.perAccount.check(accountKey);
  const account = await findAccount(deps, kind, input.email);
  const isValid = account
    ? await verifyPassword(account.passwordHash, input.password)
    : await verifyPassword(await decoyPasswordHash(), input.password).then(() => false);
  if (!account || !isValid || !account.isActive) {
    await Promise.all([limits.perIp.consume(ipKey), limits.perAccount.consume(accountKey)]).catch(() => undefined);
    await recordAudit(deps.db, {
      actor: { type: 'anonymous' },
      action: `${kind}.login_failed`,
      target: account ? { type: kind, id: account.id } : undefined,
      outcome: 'failure',
      ip: input.client.ip,
      details: { email: input.email },
    });
    throw IdentityError('invalid_credentials');
  }
  await limits.perAccount.reset(accountKey);
  const session = await withTransaction(deps.pool, async (tx) => {
    const created = await createSession(deps, account.principal, input.client, tx);
    await recordAudit(tx, {
      actor: { type: kind, id: account.id },
      action: `${kind}.logged_in`,
      target: { type: kind, id: account.id },
      ip: input.client.ip,
    });
    return created;
  });
  return kind === 'customer' ? { customer: account.view, session } : { staff: account.view, session };
}
