import type { WidgetProfile } from '@okpay/contracts';
import { findCustomerById } from '../identity/index.js';
import type { Config, Queryable } from '../platform/index.js';
import type { Participant } from './conversations/participant.js';

/** What the widget shows about the person it speaks for: their zone and, if proven, their email. */
export async function getWidgetProfile(
  deps: { db: Queryable; config: Pick<Config, 'timeZone'> },
  participant: Participant & { kind: 'customer' | 'visitor' },
): Promise<WidgetProfile> {
  const timeZone = deps.config.timeZone;
  if (participant.kind === 'visitor') return { kind: 'visitor', name: null, verifiedEmail: null, timeZone };
  const customer = await findCustomerById(deps.db, participant.customerId);
  return {
    kind: 'customer',
    name: customer?.displayName ?? participant.name,
    verifiedEmail: customer?.emailVerifiedAt ? customer.email : null,
    timeZone,
  };
}
