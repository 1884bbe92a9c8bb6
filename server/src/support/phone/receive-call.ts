import type { CallDirection, Locale } from '@okpay/contracts';
import { findCustomerByVerifiedPhone } from '../../identity/index.js';
import { holdTransactionLock, withTransaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { openCall } from './open-call.js';
import { type CallRow, findCallByProviderId } from './phone.repository.js';
import { callerVisitorId } from './phone-numbers.js';

export type ReceiveCallInput = {
  provider: string;
  providerCallId: string;
  direction: CallDirection;
  from: string;
  to: string;
  locale?: Locale;
  /** The provider's key for this first report, so a replay of it is recognised. */
  providerEventKey?: string;
};

/**
 * A call starts ringing: a new conversation with channel `phone`, the caller's wallet attached when
 * their number is a customer's verified phone (the screen pop), and the call in state `ringing`.
 * The same provider call reported again is the call already known.
 */
export async function receiveCall(deps: SupportDeps, input: ReceiveCallInput): Promise<{ call: CallRow; isNew: boolean }> {
  const known = await findCallByProviderId(deps.db, input.provider, input.providerCallId);
  if (known) return { call: known, isNew: false };
  const at = deps.clock.now();
  const number = input.direction === 'inbound' ? input.from : input.to;
  const customer = await findCustomerByVerifiedPhone(deps.db, number);
  return withTransaction(deps.pool, async (tx) => {
    // Two nodes given the same first report at once: one creates the call, the other finds it.
    await holdTransactionLock(tx, `call:${input.provider}:${input.providerCallId}`);
    const raced = await findCallByProviderId(tx, input.provider, input.providerCallId);
    if (raced) return { call: raced, isNew: false };
    const { call } = await openCall(tx, {
      ...input,
      owner: customer ? { customerId: customer.id } : { visitorId: callerVisitorId(number) },
      isVerified: customer !== undefined,
      contactName: customer?.displayName ?? null,
      category: 'other',
      locale: input.locale ?? customer?.locale ?? deps.config.defaultLocale,
      actor: { kind: 'system' },
      at,
    });
    return { call, isNew: true };
  });
}
