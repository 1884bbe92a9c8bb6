import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { decryptAes128gcm, type PushService, startPushService, verifyVapid } from './push-service.js';

// RFC 8291 Appendix A: the published example message, keys and result (test data of the standard).
const rfc8291 = {
  plaintext: 'V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  body:
    'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_' +
    'yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

const b64 = (text: string) => Buffer.from(text, 'base64url');

describe('the local push service', () => {
  let service: PushService;
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service.close());

  it('decrypts the RFC 8291 example message with the browser’s private key', () => {
    const plain = decryptAes128gcm(b64(rfc8291.body), b64(rfc8291.uaPrivate), b64(rfc8291.authSecret));
    expect(plain.toString('utf8')).toBe('When I grow up, I want to be a watermelon');
    expect(plain.equals(b64(rfc8291.plaintext))).toBe(true);
  });

  it('refuses a message that was tampered with', () => {
    const body = b64(rfc8291.body);
    body[body.length - 20] = (body[body.length - 20] as number) ^ 1;
    expect(() => decryptAes128gcm(body, b64(rfc8291.uaPrivate), b64(rfc8291.authSecret))).toThrow();
  });

  it('accepts a VAPID header for its origin and refuses one for another origin or signed by another key', () => {
    const keys = webPush.generateVAPIDKeys();
    const other = webPush.generateVAPIDKeys();
    const header = webPush.getVapidHeaders(service.origin, 'mailto:support@okpay.test', keys.publicKey, keys.privateKey, 'aes128gcm');
    expect(verifyVapid(header.Authorization, service.origin)).toMatchObject({ aud: service.origin, publicKey: keys.publicKey });
    expect(verifyVapid(header.Authorization, 'https://fcm.googleapis.com')).toMatch(/aud/);
    const forged = header.Authorization.replace(keys.publicKey, other.publicKey);
    expect(verifyVapid(forged, service.origin)).toBe('JWT signature does not verify');
    expect(verifyVapid(header.Authorization, service.origin, Date.now() + 25 * 3_600_000)).toBe('JWT expired');
  });

  it('takes a push that web-push encrypted for a subscription and shows what the browser would read', async () => {
    const keys = webPush.generateVAPIDKeys();
    const subscription = service.subscribe(keys.publicKey);
    const vapidDetails = { subject: 'mailto:support@okpay.test', ...keys };
    const details = webPush.generateRequestDetails(subscription, JSON.stringify({ hello: '你好' }), {
      vapidDetails,
      TTL: 60,
      topic: 'abc',
    });
    const response = await fetch(details.endpoint, {
      method: 'POST',
      headers: details.headers as Record<string, string>,
      body: new Uint8Array(details.body as Buffer),
    });
    expect(response.status).toBe(201);
    const push = await service.next((item) => item.subscriptionId === subscription.id);
    expect(push).toMatchObject({ payload: { hello: '你好' }, ttl: 60, topic: 'abc', urgency: 'normal' });

    // Signed with a key the subscription was not made for: refused, as FCM does.
    const stranger = webPush.generateRequestDetails(subscription, 'x', {
      vapidDetails: { subject: 'mailto:support@okpay.test', ...webPush.generateVAPIDKeys() },
    });
    const refused = await fetch(stranger.endpoint, {
      method: 'POST',
      headers: stranger.headers as Record<string, string>,
      body: new Uint8Array(stranger.body as Buffer),
    });
    expect(refused.status).toBe(403);

    service.answer(subscription.id, 410);
    const gone = await fetch(details.endpoint, {
      method: 'POST',
      headers: details.headers as Record<string, string>,
      body: new Uint8Array(details.body as Buffer),
    });
    expect(gone.status).toBe(410);
  });
});
