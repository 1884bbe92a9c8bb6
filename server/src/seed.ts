import { randomUUID } from 'node:crypto';
import { createStaffMember, findCustomerByEmail, findCustomerById, findStaffMemberByEmail, registerCustomer } from './identity/index.js';
import type { Deps } from './platform/index.js';
import { withTransaction } from './platform/index.js';
import { bindCard, createFxQuote, createTopUp, executeFxQuote, hasCustomerCards, sendTransfer, type WalletDeps } from './wallet/index.js';

export const demoPassword = 'OKPay-Welcome-2026';

export const demoAccounts = {
  customer: { email: 'demo@okpay.local', displayName: '王小明', phone: '13800138000' },
  friend: { email: 'lilei@okpay.local', displayName: '李雷', phone: '13900139000' },
  agent: { email: 'agent@okpay.local', displayName: '李客服', role: 'agent' as const },
  supervisor: { email: 'supervisor@okpay.local', displayName: '张主管', role: 'supervisor' as const },
  admin: { email: 'admin@okpay.local', displayName: '系统管理员', role: 'admin' as const },
  editor: { email: 'editor@okpay.local', displayName: '陈编辑', role: 'editor' as const },
};

async function ensureCustomer(
  deps: Deps,
  account: { email: string; displayName: string; phone: string },
  created: string[],
): Promise<string> {
  const existing = await findCustomerByEmail(deps.db, account.email);
  if (existing) return existing.id;
  const { customer } = await registerCustomer(deps, {
    ...account,
    password: demoPassword,
    locale: deps.config.defaultLocale,
    client: { ip: null, userAgent: 'seed' },
    signIn: false,
    isEmailVerified: true,
  });
  created.push(account.email);
  return customer.id;
}

/**
 * A wallet worth looking at, made through the real use cases and the sandbox bank: two cards, a
 * top-up that worked and one that failed for insufficient funds, an exchange and a transfer.
 */
async function seedDemoWallet(deps: WalletDeps, customerId: string, friendId: string): Promise<void> {
  if (await hasCustomerCards(deps.db, customerId)) return;
  const bind = (number: string) =>
    bindCard(deps, {
      customerId,
      card: { number, expMonth: 12, expYear: deps.clock.now().getUTCFullYear() + 4, cvc: '123', holderName: 'WANG XIAOMING' },
      at: deps.clock.now(),
      ip: null,
    });
  const good = await bind('4242 4242 4242 4242');
  const empty = await bind('4000 0000 0000 9995');
  const topUp = (cardId: string, amount: number) =>
    createTopUp(deps, { customerId, cardId, amount, currency: 'CNY', idempotencyKey: `seed-${randomUUID()}` });
  await topUp(good.id, 2_000_00);
  await topUp(empty.id, 500_00);
  const quote = await createFxQuote(deps, {
    customerId,
    from: 'CNY',
    to: 'USD',
    amount: 710_00,
    at: deps.clock.now(),
  });
  await withTransaction(deps.pool, (tx) => executeFxQuote(tx, { customerId, quoteId: quote.id, at: deps.clock.now() }));
  const friend = await findCustomerById(deps.db, friendId);
  if (friend) {
    await withTransaction(deps.pool, (tx) =>
      sendTransfer(tx, {
        senderId: customerId,
        recipient: { email: friend.email },
        amount: 88_00,
        currency: 'CNY',
        note: '午饭',
        at: deps.clock.now(),
        risk: deps.config.risk,
      }),
    );
  }
}

/** Demo data for a first start; safe to run again, it only adds what is missing. */
export async function seedDemoData(deps: WalletDeps): Promise<{ created: string[] }> {
  const created: string[] = [];
  const customerId = await ensureCustomer(deps, demoAccounts.customer, created);
  const friendId = await ensureCustomer(deps, demoAccounts.friend, created);
  for (const staff of [demoAccounts.agent, demoAccounts.supervisor, demoAccounts.admin, demoAccounts.editor]) {
    if (await findStaffMemberByEmail(deps.db, staff.email)) continue;
    await createStaffMember(deps, { ...staff, password: demoPassword }, { type: 'system', id: 'seed' });
    created.push(staff.email);
  }
  await seedDemoWallet(deps, customerId, friendId);
  return { created };
}

export function demoLoginsText(publicUrl: string): string {
  return [
    `Demo sign-ins (password for all: ${demoPassword})`,
    `  customer    ${demoAccounts.customer.email.padEnd(24)} ${publicUrl}/login`,
    `  customer    ${demoAccounts.friend.email.padEnd(24)} ${publicUrl}/login`,
    `  agent       ${demoAccounts.agent.email.padEnd(24)} ${publicUrl}/agent/login`,
    `  supervisor  ${demoAccounts.supervisor.email.padEnd(24)} ${publicUrl}/agent/login`,
    `  admin       ${demoAccounts.admin.email.padEnd(24)} ${publicUrl}/agent/login`,
    `  editor      ${demoAccounts.editor.email.padEnd(24)} ${publicUrl}/agent/login`,
  ].join('\n');
}
