import { type Locale, type PushNotificationKind, type PushPayload, pushNotificationKinds } from '@okpay/contracts';
import webPush from 'web-push';
import { type ConversationRow, findConversation, furthestReadSeq } from '../conversations/conversations.repository.js';
import { channelHours, describeWhen } from '../hours/describe-support-hours.js';
import { currentHours } from '../hours/support-hours.js';
import { isTimeZone } from '../hours/zoned-time.js';
import { findCallback } from '../phone/phone.repository.js';
import { queueInfoFor } from '../routing/queue.js';
import type { SupportDeps } from '../support-deps.js';
import {
  countAttempt,
  dropExpiredSubscription,
  findDelivery,
  findPreferences,
  finishDelivery,
  markSubscriptionUsed,
  type PushDeliveryRow,
  type PushSubscriptionRow,
} from './push.repository.js';
import { isAllowedPushService } from './push-services.js';
import { notificationText, type WaitingState } from './push-texts.js';
import { deliveryAttempts } from './queue-push.js';
import { vapidKeysOf } from './vapid-keys.js';

/**
 * How long a push service may hold a notification for a device that is off: a wait notice goes
 * stale fast, a callback's once the call is due (see timeToLive).
 */
const timeToLiveSeconds: Record<PushNotificationKind, number> = {
  agent_reply: 24 * 3600,
  email_reply: 2 * 24 * 3600,
  resolved: 2 * 24 * 3600,
  waiting: 3600,
  callback_soon: 3600,
};
const urgencyOf: Record<PushNotificationKind, 'low' | 'normal' | 'high'> = {
  agent_reply: 'high',
  email_reply: 'normal',
  resolved: 'normal',
  waiting: 'low',
  callback_soon: 'high',
};

/** The instant a callback notice is about (its attempt's due time). */
const callbackDueOf = (delivery: PushDeliveryRow) => Date.parse(String(delivery.facts.dueAt ?? ''));

function timeToLive(delivery: PushDeliveryRow, kind: PushNotificationKind, now: Date): number {
  if (kind !== 'callback_soon') return timeToLiveSeconds[kind];
  return Math.max(1, Math.min(timeToLiveSeconds[kind], Math.floor((callbackDueOf(delivery) - now.getTime()) / 1000)));
}
const requestTimeoutMs = 10_000;

/** The page a tap opens: the conversation in the app, which fetches the rest. */
export function conversationPath(conversationId: string): string {
  return `/app/support/${conversationId}`;
}

/** Why a queued notification no longer says anything true, or undefined while it does. */
async function staleness(deps: SupportDeps, delivery: PushDeliveryRow, conversation: ConversationRow): Promise<string | undefined> {
  const kind = delivery.kind as PushNotificationKind;
  if (kind === 'agent_reply' || kind === 'email_reply') {
    const read = await furthestReadSeq(deps.db, conversation.id, ['customer']);
    return read >= Number(delivery.facts.seq ?? 0) ? 'read_already' : undefined;
  }
  if (kind === 'resolved') return conversation.status === 'resolved' || conversation.status === 'closed' ? undefined : 'reopened';
  if (kind === 'callback_soon') {
    // Still this attempt, still ahead: a call already made, rescheduled or cancelled says otherwise.
    const callback = await findCallback(deps.db, String(delivery.facts.callbackId ?? ''));
    const isThisAttempt =
      callback?.state === 'scheduled' &&
      callback.attempts + 1 === Number(delivery.facts.attempt) &&
      callback.dueAt.getTime() === callbackDueOf(delivery);
    if (!isThisAttempt) return 'callback_changed';
    return callback.dueAt <= deps.clock.now() ? 'callback_due' : undefined;
  }
  if (conversation.status !== 'open' && conversation.status !== 'pending') return 'not_waiting';
  const since = Date.parse(String(delivery.facts.since ?? ''));
  const answeredAt = conversation.lastAgentMessageAt?.getTime() ?? 0;
  return answeredAt >= since ? 'answered' : undefined;
}

/** What we can honestly say about a wait right now, in the reader's zone. */
async function waitingState(deps: SupportDeps, conversation: ConversationRow, timeZone: string, locale: Locale): Promise<WaitingState> {
  const now = deps.clock.now();
  if (conversation.channel === 'email' || conversation.isOfflineMessage) {
    const due = conversation.responseDueAt;
    if (!due) return { kind: 'assigned' };
    return due > now ? { kind: 'email_due', due: describeWhen(due.getTime(), now, timeZone, locale) } : { kind: 'email_late' };
  }
  const hours = channelHours(await currentHours(deps), 'chat', now, locale, timeZone);
  if (!hours.open && hours.nextOpening)
    return { kind: 'closed', reopens: describeWhen(Date.parse(hours.nextOpening), now, timeZone, locale) };
  if (conversation.assigneeId) return { kind: 'assigned' };
  const queue = await queueInfoFor(deps.db, conversation.id);
  if (!queue) return { kind: 'assigned' };
  if (queue.agentsOnline === 0) return { kind: 'nobody_online' };
  return { kind: 'queued', ahead: queue.position - 1, minutes: Math.max(1, Math.ceil(queue.estimatedWaitSeconds / 60)) };
}

async function payloadFor(
  deps: SupportDeps,
  delivery: PushDeliveryRow,
  subscription: PushSubscriptionRow,
  conversation: ConversationRow,
): Promise<PushPayload> {
  const kind = delivery.kind as PushNotificationKind;
  const locale = subscription.locale as Locale;
  const waiting = kind === 'waiting' ? await waitingState(deps, conversation, subscription.timeZone, locale) : undefined;
  const zone = isTimeZone(subscription.timeZone) ? subscription.timeZone : deps.config.timeZone;
  const callbackWhen = kind === 'callback_soon' ? describeWhen(callbackDueOf(delivery), deps.clock.now(), zone, locale) : undefined;
  const text = notificationText(
    kind,
    locale,
    { reference: conversation.reference, category: conversation.category },
    { waiting, callbackWhen },
  );
  return {
    v: 1,
    kind,
    conversationId: conversation.id,
    ...text,
    url: conversationPath(conversation.id),
    tag: `conversation-${conversation.id}`,
    lang: locale,
    sentAt: deps.clock.now().toISOString(),
  };
}

type Outcome = { status: 'sent' | 'failed' | 'retry' | 'expired'; detail: string };

/** RFC 8030 answers: 201 stored; 404/410 the subscription is gone; 429 and 5xx later; other 4xx our mistake. */
function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return { status: 'sent', detail: String(status) };
  if (status === 404 || status === 410) return { status: 'expired', detail: String(status) };
  if (status === 429 || status >= 500) return { status: 'retry', detail: String(status) };
  return { status: 'failed', detail: String(status) };
}

/**
 * Sends one queued notification (the `support.push.deliver` job): checks it still says something
 * true and wanted, encrypts it for the device (RFC 8291) and signs the request (VAPID, RFC 8292)
 * through web-push, and posts it to the device's push service (RFC 8030). A subscription the
 * service no longer knows is removed; a busy or unreachable service is tried again with backoff
 * (the job is retried), up to `deliveryAttempts`.
 */
export async function deliverPush(deps: SupportDeps, deliveryId: string): Promise<void> {
  const found = await findDelivery(deps.db, deliveryId);
  // Gone with its subscription (signed out, removed, expired), or already done.
  if (found?.delivery.status !== 'queued') return;
  const { delivery, subscription } = found;
  const now = () => deps.clock.now();
  const conversation = await findConversation(deps.db, delivery.conversationId);
  const kind = delivery.kind as PushNotificationKind;
  const preferences = await findPreferences(deps.db, subscription.customerId);
  const stale = conversation?.customerId !== subscription.customerId ? 'not_theirs' : await staleness(deps, delivery, conversation);
  const skipReason = !pushNotificationKinds.includes(kind)
    ? 'unknown_kind'
    : !preferences.push[kind]
      ? 'turned_off'
      : !isAllowedPushService(subscription.endpoint, deps.config.push.serviceOrigins)
        ? 'service_not_allowed'
        : stale;
  if (skipReason || !conversation) return finishDelivery(deps.db, delivery.id, 'skipped', skipReason ?? 'not_theirs', now());

  const payload = await payloadFor(deps, delivery, subscription, conversation);
  const keys = await vapidKeysOf(deps);
  const request = webPush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
    JSON.stringify(payload),
    {
      vapidDetails: keys,
      TTL: timeToLive(delivery, kind, now()),
      urgency: urgencyOf[kind],
      // A newer notice about the same conversation replaces one the device has not fetched yet.
      topic: conversation.id.replaceAll('-', ''),
      contentEncoding: 'aes128gcm',
    },
  );
  const attempt = await countAttempt(deps.db, delivery.id);
  let outcome: Outcome;
  try {
    const response = await fetch(request.endpoint, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
      body: request.body ? new Uint8Array(request.body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    outcome = outcomeOf(response.status);
  } catch (error) {
    outcome = { status: 'retry', detail: error instanceof Error ? error.message : String(error) };
  }
  const log = { deliveryId: delivery.id, subscriptionId: subscription.id, kind, attempt, outcome: outcome.detail };
  switch (outcome.status) {
    case 'sent':
      await finishDelivery(deps.db, delivery.id, 'sent', outcome.detail, now());
      await markSubscriptionUsed(deps.db, subscription.id, now());
      return;
    case 'expired':
      deps.logger.info(log, 'push subscription expired at its push service; removed');
      return dropExpiredSubscription(deps.db, subscription.id);
    case 'failed':
      deps.logger.warn(log, 'push service refused a notification');
      return finishDelivery(deps.db, delivery.id, 'failed', outcome.detail, now());
    case 'retry':
      if (attempt >= deliveryAttempts) {
        deps.logger.warn(log, 'push notification given up after its last attempt');
        return finishDelivery(deps.db, delivery.id, 'failed', outcome.detail, now());
      }
      throw new Error(`push service answered ${outcome.detail}; will try again`);
  }
}
