import type { StaffRole } from '@okpay/contracts';
import { createStaffMember } from '../identity/index.js';
import type { Runtime } from '../runtime.js';
import { goodPassword, httpClient, uniqueEmail } from './http.js';

/** Creates a staff member and signs them in over HTTP (cookie + CSRF, as the console does). */
export async function signedInStaff(runtime: Runtime, role: StaffRole, options: { displayName?: string; chatCapacity?: number } = {}) {
  const email = uniqueEmail(role);
  const staff = await createStaffMember(
    runtime.deps,
    { email, displayName: options.displayName ?? `${role} ${email}`, role, password: goodPassword, chatCapacity: options.chatCapacity },
    { type: 'system' },
  );
  const client = httpClient(runtime.app);
  const login = await client.post('/api/agent/auth/login', { email, password: goodPassword });
  if (login.status !== 200) throw new Error(`staff login failed: ${JSON.stringify(login.body)}`);
  return { id: staff.id, email, name: staff.displayName, client, token: (login.body as { token: string }).token };
}
