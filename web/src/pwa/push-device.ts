import type { PushSubscribeRequest } from '@okpay/contracts';
import { ApiError } from '../api/client';
import { getPushPublicKey, renewPush, subscribePush, unsubscribePush } from '../api/push';
import { currentLocale } from '../i18n';

// This browser's Web Push subscription: turned on only when the customer asks (never on a first
// visit), kept in step with the server when the app opens, and turned off on sign-out.

const ownerKey = 'okpay.push.owner';

export type PushSupport = 'supported' | 'unsupported' | 'needs-install';

function isStandalone(): boolean {
  return (
    window.matchMedia?.('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

export function pushSupport(): PushSupport {
  const isAppleMobile = /iPad|iPhone|iPod/.test(navigator.userAgent);
  // iOS and iPadOS deliver Web Push only to an app added to the home screen (16.4 and later).
  if (isAppleMobile && !isStandalone()) return 'needs-install';
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window ? 'supported' : 'unsupported';
}

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

function rememberOwner(customerId: string | null): void {
  try {
    if (customerId) window.localStorage.setItem(ownerKey, customerId);
    else window.localStorage.removeItem(ownerKey);
  } catch {
    // Without storage the app just will not refresh the subscription by itself.
  }
}

function owner(): string | null {
  try {
    return window.localStorage.getItem(ownerKey);
  } catch {
    return null;
  }
}

/** A browser whose push service cannot be reached never answers subscribe(): give up rather than spin. */
function withTimeout<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(what)), milliseconds));
  return Promise.race([promise, timeout]);
}

function registration(): Promise<ServiceWorkerRegistration> {
  return withTimeout(navigator.serviceWorker.ready, 10_000, 'the service worker is not running');
}

function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64Url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let index = 0; index < raw.length; index += 1) bytes[index] = raw.charCodeAt(index);
  return bytes;
}

function requestOf(subscription: PushSubscription): PushSubscribeRequest {
  const json = subscription.toJSON() as { endpoint: string; expirationTime?: number | null; keys: { p256dh: string; auth: string } };
  return {
    endpoint: json.endpoint,
    expirationTime: json.expirationTime ?? null,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: currentLocale(),
  };
}

/** The browser's current subscription, if any. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== 'supported') return null;
  return (await registration()).pushManager.getSubscription();
}

export type EnableOutcome = { status: 'enabled' } | { status: 'denied' } | { status: 'failed'; reason: string };

/** Asks the browser (a permission prompt, so only from a click), subscribes with our key and tells the server. */
export async function enablePushOnThisDevice(customerId: string): Promise<EnableOutcome> {
  try {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return { status: 'denied' };
    const [worker, { publicKey }] = await Promise.all([registration(), getPushPublicKey()]);
    let subscription = await worker.pushManager.getSubscription();
    const serverKey = keyBytes(publicKey);
    const sameKey = (existing: PushSubscription) => {
      const key = existing.options.applicationServerKey;
      return (
        key !== null && key.byteLength === serverKey.byteLength && new Uint8Array(key).every((byte, index) => byte === serverKey[index])
      );
    };
    // A subscription made for another key (the server's keys changed) cannot be used: make a new one.
    if (subscription && !sameKey(subscription)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await withTimeout(
      worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey }),
      20_000,
      'the browser’s push service did not answer',
    );
    await subscribePush(requestOf(subscription));
    rememberOwner(customerId);
    return { status: 'enabled' };
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Turns this device off on the server and in the browser. */
export async function disablePushOnThisDevice(): Promise<void> {
  const subscription = await currentSubscription().catch(() => null);
  if (subscription) {
    await unsubscribePush(subscription.endpoint);
    await subscription.unsubscribe().catch(() => false);
  }
  rememberOwner(null);
}

/**
 * When the app opens signed in: refresh this device's subscription (new session, rotated keys,
 * another zone). If it was turned off elsewhere (removed on the devices page, signed out from
 * another device), the browser's subscription is dropped too, until the customer turns it on again.
 */
export async function renewPushOnThisDevice(customerId: string): Promise<void> {
  if (owner() !== customerId || notificationPermission() !== 'granted') return;
  const subscription = await currentSubscription().catch(() => null);
  if (!subscription) return rememberOwner(null);
  try {
    await renewPush(requestOf(subscription));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      await subscription.unsubscribe().catch(() => false);
      rememberOwner(null);
    }
  }
}

/** Signed out on purpose: the server dropped the device with the session; the browser forgets it too. */
export async function forgetPushOnThisDevice(): Promise<void> {
  rememberOwner(null);
  const subscription = await currentSubscription().catch(() => null);
  await subscription?.unsubscribe().catch(() => false);
}

/** Notifications are on for this customer on this device, as far as the browser knows. */
export function isPushOnHere(customerId: string): boolean {
  return owner() === customerId && notificationPermission() === 'granted';
}
