import { createDecipheriv, createECDH, createPublicKey, createVerify, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A push service on loopback that behaves like FCM or Mozilla's autopush for the parts OKPay
 * relies on: it hands out subscriptions bound to an application server key, accepts RFC 8030
 * POSTs, refuses them unless the VAPID JWT (RFC 8292) is signed by that key for this origin and
 * not expired, and decrypts the aes128gcm body (RFC 8291/8188) with the subscription's private
 * key, exactly as the browser would. Tests read what a phone would have shown, and can make a
 * subscription answer 404/410 (expired) or 429/500.
 */

export type BrowserSubscription = {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
};

export type ReceivedPush = {
  subscriptionId: string;
  /** The decrypted payload, parsed as JSON when it is JSON. */
  payload: unknown;
  text: string;
  ttl: number;
  urgency: string;
  topic: string | undefined;
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
};

/**
 * A push's text without its ids and its time, for asserting that no digits of an amount, a card or
 * a phone number left for the push service: a random id may hold any three digits.
 */
export function pushTextWithoutIds(push: ReceivedPush): string {
  return push.text.replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '').replace(/"sentAt":"[^"]*"/, '');
}

export type Refusal = { subscriptionId: string | undefined; status: number; reason: string };

export type PushService = {
  origin: string;
  /** A browser's subscribe({ applicationServerKey }): a new endpoint and its keys. */
  subscribe(applicationServerKey: string): BrowserSubscription & { id: string };
  /** Every push delivered so far, in arrival order. */
  received: ReceivedPush[];
  /** Requests refused by the service (bad VAPID, unknown endpoint, …) with why. */
  refusals: Refusal[];
  /** Resolves with the next delivered push (or one already received) that matches. */
  next(match?: (push: ReceivedPush) => boolean, timeoutMs?: number): Promise<ReceivedPush>;
  /** From now on, pushes to this subscription answer this status (410: the browser unsubscribed). */
  answer(subscriptionId: string, status: number): void;
  close(): Promise<void>;
};

type Subscription = { id: string; privateKey: Buffer; publicKey: Buffer; auth: Buffer; applicationServerKey: string; status: number };

const maxBodyBytes = 4096 + 86 + 17;

/** Listens on loopback, on `port` when given (a browser journey names it before the server starts). */
export async function startPushService(port = 0): Promise<PushService> {
  const subscriptions = new Map<string, Subscription>();
  const received: ReceivedPush[] = [];
  const refusals: Refusal[] = [];
  const waiters = new Set<{ match: (push: ReceivedPush) => boolean; resolve: (push: ReceivedPush) => void }>();
  let origin = '';

  const refuse = (response: ServerResponse, subscriptionId: string | undefined, status: number, reason: string) => {
    refusals.push({ subscriptionId, status, reason });
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ reason }));
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const subscription = id ? subscriptions.get(id) : undefined;
    if (request.method !== 'POST' || !subscription) return refuse(response, id, 404, 'no such subscription');
    const body = await readBody(request);
    if (subscription.status !== 201) return refuse(response, id, subscription.status, 'answering as told');
    const vapid = verifyVapid(request.headers.authorization, origin);
    if (typeof vapid === 'string') return refuse(response, id, 401, vapid);
    // A subscription made with one application server key accepts pushes signed by that key only.
    if (vapid.publicKey !== subscription.applicationServerKey)
      return refuse(response, id, 403, 'VAPID key differs from the subscription’s');
    const ttl = Number(request.headers.ttl);
    if (request.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return refuse(response, id, 400, 'TTL header missing');
    const urgency = String(request.headers.urgency ?? 'normal');
    if (!['very-low', 'low', 'normal', 'high'].includes(urgency)) return refuse(response, id, 400, 'bad Urgency');
    const topic = request.headers.topic === undefined ? undefined : String(request.headers.topic);
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return refuse(response, id, 400, 'bad Topic');
    if (request.headers['content-encoding'] !== 'aes128gcm') return refuse(response, id, 415, 'Content-Encoding must be aes128gcm');
    if (body.length > maxBodyBytes) return refuse(response, id, 413, 'payload too large');
    let text: string;
    try {
      text = decryptAes128gcm(body, subscription.privateKey, subscription.auth).toString('utf8');
    } catch (error) {
      return refuse(response, id, 400, `cannot decrypt: ${(error as Error).message}`);
    }
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // Not JSON: the text is the payload.
    }
    const push: ReceivedPush = { subscriptionId: subscription.id, payload, text, ttl, urgency, topic, vapid };
    received.push(push);
    response.writeHead(201, { location: `${origin}/message/${randomUUID()}` }).end();
    for (const waiter of waiters) {
      if (!waiter.match(push)) continue;
      waiters.delete(waiter);
      waiter.resolve(push);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => refuse(response, undefined, 500, error.message));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    refusals,
    subscribe(applicationServerKey) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const id = randomUUID();
      const subscription: Subscription = {
        id,
        privateKey: ecdh.getPrivateKey(),
        publicKey: ecdh.getPublicKey(),
        auth: randomBytes(16),
        applicationServerKey,
        status: 201,
      };
      subscriptions.set(id, subscription);
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: subscription.publicKey.toString('base64url'), auth: subscription.auth.toString('base64url') },
      };
    },
    next(match = () => true, timeoutMs = 10_000) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        setTimeout(() => {
          if (waiters.delete(waiter)) reject(new Error(`no matching push within ${timeoutMs} ms; refused: ${JSON.stringify(refusals)}`));
        }, timeoutMs).unref();
      });
    },
    answer(subscriptionId, status) {
      const subscription = subscriptions.get(subscriptionId);
      if (subscription) subscription.status = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`; the claims if valid, otherwise why not. */
export function verifyVapid(
  header: string | undefined,
  audience: string,
  now = Date.now(),
): { aud: string; sub: string; exp: number; publicKey: string } | string {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '');
  if (!match) return 'Authorization is not a VAPID header';
  const [token, publicKey] = [match[1] as string, match[2] as string];
  const [head, claims, signature] = token.split('.') as [string, string, string];
  const parsedHead = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string; typ?: string };
  if (parsedHead.alg !== 'ES256') return 'JWT alg must be ES256';
  const point = Buffer.from(publicKey, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return 'k is not an uncompressed P-256 key';
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const verifier = createVerify('SHA256');
  verifier.update(`${head}.${claims}`);
  if (!verifier.verify({ key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) return 'JWT signature does not verify';
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; sub?: string; exp?: number };
  if (parsed.aud !== audience) return `JWT aud ${parsed.aud} is not ${audience}`;
  if (typeof parsed.exp !== 'number' || parsed.exp * 1000 <= now) return 'JWT expired';
  if (parsed.exp * 1000 > now + 24 * 3_600_000) return 'JWT exp more than 24 hours ahead';
  if (typeof parsed.sub !== 'string' || !/^(mailto:|https:)/.test(parsed.sub)) return 'JWT sub must be mailto: or https:';
  return { aud: parsed.aud, sub: parsed.sub, exp: parsed.exp, publicKey };
}

/**
 * Decrypts an aes128gcm message (RFC 8188) for a Web Push subscription (RFC 8291): the header
 * carries salt, record size and the sender's ephemeral key; the content key and nonce come from
 * ECDH with the browser's private key and the auth secret through HKDF.
 */
export function decryptAes128gcm(body: Buffer, userAgentPrivateKey: Buffer, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('shorter than the header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body[20] as number;
  if (keyIdLength !== 65) throw new Error('keyid is not a P-256 public key');
  const senderPublicKey = body.subarray(21, 21 + keyIdLength);
  const content = body.subarray(21 + keyIdLength);
  if (recordSize < 18) throw new Error('record size too small');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(userAgentPrivateKey);
  const userAgentPublicKey = ecdh.getPublicKey();
  const secret = ecdh.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), userAgentPublicKey, senderPublicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, authSecret, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonceBase = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const plain: Buffer[] = [];
  let sequence = 0;
  for (let offset = 0; offset < content.length; offset += recordSize, sequence += 1) {
    const record = content.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(nonceBase);
    // The record sequence number is XORed into the nonce's low end (fewer than 2^32 records here).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ sequence) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding: the data, one delimiter (2 in the last record, 1 before), then zeros.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    const isLast = offset + recordSize >= content.length;
    if (padded[end] !== (isLast ? 2 : 1)) throw new Error('bad padding delimiter');
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}
