import type { CallDirection, ConversationCategory, Locale } from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import { type ConversationRow, insertConversation } from '../conversations/conversations.repository.js';
import { type EventActor, recordConversationEvent } from '../conversations/record-event.js';
import { type CallRow, insertCall, insertCallEvent } from './phone.repository.js';

export type OpenCallInput = {
  provider: string;
  providerCallId: string;
  direction: CallDirection;
  from: string;
  to: string;
  /** Whose history the call joins: a customer (known by a verified phone or a signed token), or a visitor. */
  owner: { customerId: string } | { visitorId: string };
  isVerified: boolean;
  contactName: string | null;
  category: ConversationCategory;
  locale: Locale;
  /** The provider's key for this first report, so a replay of it is recognised. */
  providerEventKey?: string;
  /** Who started it, for the timeline: the system for a provider's call, the customer for an in-app one. */
  actor: EventActor;
  at: Date;
};

/**
 * A call starts ringing: a new conversation with channel `phone`, the call in state `ringing` and
 * its first log entry, in the caller's transaction. Every way a call arrives (a provider's webhook,
 * the app) goes through here, so the console, history, SLA clocks and reports see them alike.
 */
export async function openCall(tx: Transaction, input: OpenCallInput): Promise<{ call: CallRow; conversation: ConversationRow }> {
  const conversation = await insertConversation(tx, {
    customerId: 'customerId' in input.owner ? input.owner.customerId : null,
    visitorId: 'visitorId' in input.owner ? input.owner.visitorId : null,
    isVerified: input.isVerified,
    channel: 'phone',
    status: 'open',
    category: input.category,
    locale: input.locale,
    contactName: input.contactName,
    createdAt: input.at,
    updatedAt: input.at,
  });
  const call = await insertCall(tx, {
    conversationId: conversation.id,
    provider: input.provider,
    providerCallId: input.providerCallId,
    direction: input.direction,
    fromNumber: input.from,
    toNumber: input.to,
    customerId: 'customerId' in input.owner ? input.owner.customerId : null,
    state: 'ringing',
    startedAt: input.at,
    updatedAt: input.at,
  });
  await insertCallEvent(tx, {
    callId: call.id,
    event: 'ring',
    fromState: 'ringing',
    toState: 'ringing',
    providerEventKey: input.providerEventKey ?? null,
    at: input.at,
  });
  await recordConversationEvent(
    tx,
    conversation.id,
    'created',
    input.actor,
    {
      channel: 'phone',
      category: input.category,
      callId: call.id,
      direction: input.direction,
      ...(input.provider === 'app' ? { via: 'app' } : {}),
    },
    input.at,
  );
  return { call, conversation };
}
