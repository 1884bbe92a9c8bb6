import type { PushNotificationKind } from '@okpay/contracts';
import type { Transaction } from '../../platform/index.js';
import type { SupportDeps } from '../support-deps.js';
import { findPreferences, insertDelivery, listSubscriptions } from './push.repository.js';
import { notBefore } from './quiet-hours.js';

export const deliverQueue = 'support.push.deliver';
/** Tries per notification while the push service answers 429/5xx or cannot be reached. */
export const deliveryAttempts = 5;

export type PushFact = {
  customerId: string;
  conversationId: string;
  kind: PushNotificationKind;
  /** The fact this is about, so each device hears of it once (a message id, a wait's start). */
  dedupeKey: string;
  facts: Record<string, unknown>;
  /**
   * When the notice stops being worth sending (a callback's call): a device whose quiet hours last
   * until then gets none, kept as skipped with the reason.
   */
  notAfter?: Date;
};

/**
 * Queues the notification for each of the customer's devices, in the caller's transaction: the
 * delivery rows and their jobs exist exactly when the change that caused them commits. A device
 * in its owner's quiet hours gets its job delayed until they end (on that device's clock); a kind
 * the customer turned off queues nothing.
 */
export async function queuePush(deps: SupportDeps, tx: Transaction, fact: PushFact): Promise<number> {
  const preferences = await findPreferences(tx, fact.customerId);
  if (!preferences.push[fact.kind]) return 0;
  const now = deps.clock.now();
  let queued = 0;
  for (const device of await listSubscriptions(tx, fact.customerId)) {
    if (device.expiresAt && device.expiresAt <= now) continue;
    const sendAfter = notBefore(now, preferences.quiet, device.timeZone);
    const tooLate = fact.notAfter !== undefined && sendAfter >= fact.notAfter;
    const id = await insertDelivery(tx, {
      subscriptionId: device.id,
      conversationId: fact.conversationId,
      kind: fact.kind,
      dedupeKey: fact.dedupeKey,
      facts: fact.facts,
      sendAfter,
      createdAt: now,
      ...(tooLate ? { status: 'skipped', outcome: 'quiet_hours' } : {}),
    });
    if (!id || tooLate) continue;
    const delaySeconds = Math.ceil((sendAfter.getTime() - now.getTime()) / 1000);
    await deps.jobs.send(
      deliverQueue,
      { deliveryId: id },
      {
        tx: tx.$client,
        retryLimit: deliveryAttempts,
        retryDelaySeconds: 15,
        ...(delaySeconds > 0 ? { startAfterSeconds: delaySeconds } : {}),
      },
    );
    queued += 1;
  }
  return queued;
}
