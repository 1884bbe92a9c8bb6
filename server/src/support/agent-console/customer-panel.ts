import type { CustomerPanel, Locale } from '@okpay/contracts';
import { findCustomerById, toCustomerView } from '../../identity/index.js';
import { type Deps, recordAudit } from '../../platform/index.js';
import { customerWalletSummary } from '../../wallet/index.js';
import { getConversationFor } from '../conversations/get-conversation.js';
import type { Participant } from '../conversations/participant.js';
import { SupportError } from '../support.errors.js';

/**
 * The customer's wallet beside the conversation. Every opening is written to the audit log with
 * the agent, the customer and the conversation: financial data is never read silently. Given a
 * conversation, it must be this customer's.
 */
export async function openCustomerPanel(
  deps: Pick<Deps, 'db'>,
  input: {
    actor: Participant & { kind: 'staff' };
    customerId: string;
    conversationId: string | null;
    highlight: { type: string; id: string } | null;
    ip: string;
    locale: Locale;
  },
): Promise<CustomerPanel> {
  if (input.conversationId) {
    const conversation = await getConversationFor(deps.db, input.conversationId, input.actor);
    if (conversation.customerId !== input.customerId) throw SupportError('conversation_not_found');
  }
  const customer = await findCustomerById(deps.db, input.customerId);
  if (!customer) throw SupportError('conversation_not_found');
  const wallet = await customerWalletSummary(deps.db, input.customerId, input.locale);
  await recordAudit(deps.db, {
    actor: { type: 'staff', id: input.actor.staffId },
    action: 'customer.financial_data_viewed',
    target: { type: 'customer', id: input.customerId },
    ip: input.ip,
    details: { conversationId: input.conversationId, highlight: input.highlight },
  });
  return { profile: toCustomerView(customer), wallet, highlight: input.highlight };
}
