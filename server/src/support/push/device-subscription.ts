import { createECDH } from 'node:crypto';
import type { Locale, PushDevice, PushSubscribeRequest } from '@okpay/contracts';
import { isTimeZone } from '../hours/zoned-time.js';
import type { SupportDeps } from '../support-deps.js';
import { PushError } from './push.errors.js';
import type { PushSubscriptionRow } from './push.repository.js';
import { isAllowedPushService } from './push-services.js';

export type DeviceContext = { customerId: string; sessionId: string; userAgent: string | undefined; locale: Locale };

/** The browser's key must be a point on P-256, or every notification to it would fail to encrypt. */
function assertBrowserKey(p256dh: string): void {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(p256dh, 'base64url'));
  } catch {
    throw PushError('push_key_invalid');
  }
}

export function subscriptionValues(deps: SupportDeps, request: PushSubscribeRequest, context: DeviceContext) {
  if (!isAllowedPushService(request.endpoint, deps.config.push.serviceOrigins)) throw PushError('push_service_not_allowed');
  assertBrowserKey(request.keys.p256dh);
  const now = deps.clock.now();
  return {
    customerId: context.customerId,
    sessionId: context.sessionId,
    endpoint: request.endpoint,
    p256dh: request.keys.p256dh.replace(/=+$/, ''),
    auth: request.keys.auth.replace(/=+$/, ''),
    expiresAt: typeof request.expirationTime === 'number' ? new Date(Math.min(request.expirationTime, 253_402_300_799_000)) : null,
    userAgent: context.userAgent?.slice(0, 300) ?? null,
    timeZone: request.timeZone && isTimeZone(request.timeZone) ? request.timeZone : deps.config.timeZone,
    locale: request.locale ?? context.locale,
    updatedAt: now,
  };
}

/** A device as the devices page lists it. */
export function toPushDevice(row: PushSubscriptionRow, currentSessionId: string): PushDevice {
  return {
    id: row.id,
    userAgent: row.userAgent,
    service: new URL(row.endpoint).host,
    timeZone: row.timeZone,
    locale: row.locale as Locale,
    createdAt: row.createdAt.toISOString(),
    lastSentAt: row.lastSentAt?.toISOString() ?? null,
    isCurrentSession: row.sessionId === currentSessionId,
  };
}
