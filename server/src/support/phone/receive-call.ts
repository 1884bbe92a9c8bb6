import type { CallDirection, ConversationCategory, Locale } from '@okpay/contracts';
import { findCustomerByVerifiedPhone } from '../../identity/index.js';
import { holdTransactionLock, type Transaction, withTransaction } from '../../platform/index.js';
import { insertConversation } from '../conversations/conversations.repository.js';
import { recordConversationEvent } from '../conversations/record-event.js';
import type { SupportDeps } from '../support-deps.js';
import { type CallRow, findCallByProviderId, insertCall, insertCallEvent } from './phone.repository.js';
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
    const caller: Caller = customer
      ? { kind: 'customer', customerId: customer.id, name: customer.displayName, locale: customer.locale }
      : { kind: 'visitor', visitorId: callerVisitorId(number) };
    const call = await openCall(tx, deps, { ...input, caller, at });
    return { call, isNew: true };
  });
}

/** Who is calling: a customer (known by a verified phone, or signed in), or a visitor. */
export type Caller =
  | { kind: 'customer'; customerId: string; name: string | null; locale: Locale | null }
  | { kind: 'visitor'; visitorId: string };

/**
 * In the caller's transaction: the phone conversation, the call on it in state `ringing` and its
 * first log entry, and the conversation's `created` event.
 */
export async function openCall(
  tx: Transaction,
  deps: Pick<SupportDeps, 'config'>,
  input: ReceiveCallInput & { caller: Caller; category?: ConversationCategory; at: Date },
): Promise<CallRow> {
  const { caller, at } = input;
  const customerId = caller.kind === 'customer' ? caller.customerId : null;
  const category = input.category ?? 'other';
  const conversation = await insertConversation(tx, {
    customerId,
    visitorId: caller.kind === 'visitor' ? caller.visitorId : null,
    isVerified: caller.kind === 'customer',
    channel: 'phone',
    status: 'open',
    category,
    locale: input.locale ?? (caller.kind === 'customer' ? caller.locale : null) ?? deps.config.defaultLocale,
    contactName: caller.kind === 'customer' ? caller.name : null,
    createdAt: at,
    updatedAt: at,
  });
  const call = await insertCall(tx, {
    conversationId: conversation.id,
    provider: input.provider,
    providerCallId: input.providerCallId,
    direction: input.direction,
    fromNumber: input.from,
    toNumber: input.to,
    customerId,
    state: 'ringing',
    startedAt: at,
    updatedAt: at,
  });
  await insertCallEvent(tx, {
    callId: call.id,
    event: 'ring',
    fromState: 'ringing',
    toState: 'ringing',
    providerEventKey: input.providerEventKey ?? null,
    at,
  });
  await recordConversationEvent(
    tx,
    conversation.id,
    'created',
    { kind: 'system' },
    { channel: 'phone', category, callId: call.id, direction: input.direction },
    at,
  );
  return call;
}
