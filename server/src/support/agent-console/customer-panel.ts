import type { Locale } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { customerWalletSummary, type WalletSummary } from '../../wallet/index.js';
import { SupportError } from '../support.errors.js';

export type CustomerPanel = {
  profile: {
    id: string;
    displayName: string;
    email: string;
    phone: string | null;
    locale: string;
    emailVerified: boolean;
    createdAt: string;
  };
  wallet: WalletSummary;
  highlight: { type: string; id: string } | null;
};

/**
 * The customer's wallet beside the conversation. Every opening is written to the audit log with
 * the agent, the customer and the conversation: financial data is never read silently.
 */
export async function openCustomerPanel(
  deps: Deps,
  input: {
    staffId: string;
    customerId: string;
    conversationId: string | null;
    highlight: { type: string; id: string } | null;
    ip: string;
    locale: Locale;
  },
): Promise<CustomerPanel> {
  const found = await deps.pool.query<{
    id: string;
    display_name: string;
    email: string;
    phone: string | null;
    locale: string;
    email_verified_at: Date | null;
    created_at: Date;
  }>('SELECT id, display_name, email, phone, locale, email_verified_at, created_at FROM customers WHERE id = $1', [input.customerId]);
  const customer = found.rows[0];
  if (!customer) throw SupportError('conversation_not_found');
  const wallet = await customerWalletSummary(deps.pool, input.customerId, input.locale);
  await recordAudit(deps.db, {
    actor: { type: 'staff', id: input.staffId },
    action: 'customer.financial_data_viewed',
    target: { type: 'customer', id: input.customerId },
    ip: input.ip,
    details: { conversationId: input.conversationId, highlight: input.highlight },
  });
  return {
    profile: {
      id: customer.id,
      displayName: customer.display_name,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      emailVerified: customer.email_verified_at !== null,
      createdAt: customer.created_at.toISOString(),
    },
    wallet,
    highlight: input.highlight,
  };
}
