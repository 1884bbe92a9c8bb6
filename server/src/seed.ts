import { sql } from 'drizzle-orm';
import { createStaffMember, customers, registerCustomer, staffMembers } from './identity/index.js';
import type { Deps } from './platform/deps.js';

export const demoPassword = 'OKPay-Welcome-2026';

export const demoAccounts = {
  customer: { email: 'demo@okpay.local', displayName: '王小明', phone: '13800138000' },
  agent: { email: 'agent@okpay.local', displayName: '李客服', role: 'agent' as const },
  supervisor: { email: 'supervisor@okpay.local', displayName: '张主管', role: 'supervisor' as const },
  admin: { email: 'admin@okpay.local', displayName: '系统管理员', role: 'admin' as const },
};

/** Demo data for a first start; safe to run again, it only adds what is missing. */
export async function seedDemoData(deps: Deps): Promise<{ created: string[] }> {
  const created: string[] = [];
  const [existingCustomer] = await deps.db
    .select({ id: customers.id })
    .from(customers)
    .where(sql`lower(${customers.email}) = ${demoAccounts.customer.email}`);
  if (!existingCustomer) {
    await registerCustomer(deps, {
      ...demoAccounts.customer,
      password: demoPassword,
      locale: deps.config.defaultLocale,
      client: { ip: null, userAgent: 'seed' },
      signIn: false,
    });
    await deps.db.execute(sql`update customers set email_verified_at = now() where lower(email) = ${demoAccounts.customer.email}`);
    created.push(demoAccounts.customer.email);
  }
  for (const staff of [demoAccounts.agent, demoAccounts.supervisor, demoAccounts.admin]) {
    const [existing] = await deps.db
      .select({ id: staffMembers.id })
      .from(staffMembers)
      .where(sql`lower(${staffMembers.email}) = ${staff.email}`);
    if (existing) continue;
    await createStaffMember(deps, { ...staff, password: demoPassword }, { type: 'system', id: 'seed' });
    created.push(staff.email);
  }
  return { created };
}

export function demoLoginsText(publicUrl: string): string {
  return [
    `Demo sign-ins (password for all: ${demoPassword})`,
    `  customer    ${demoAccounts.customer.email.padEnd(24)} ${publicUrl}/login`,
    `  agent       ${demoAccounts.agent.email.padEnd(24)} ${publicUrl}/agent/login`,
    `  supervisor  ${demoAccounts.supervisor.email.padEnd(24)} ${publicUrl}/agent/login`,
    `  admin       ${demoAccounts.admin.email.padEnd(24)} ${publicUrl}/agent/login`,
  ].join('\n');
}
