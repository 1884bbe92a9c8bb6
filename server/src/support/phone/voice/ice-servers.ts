import { createHash, createHmac } from 'node:crypto';
import type { IceServers } from '@okpay/contracts';
import type { Config } from '../../../platform/index.js';

/**
 * The STUN and TURN servers a browser may use for a call. With `TURN_SECRET` (coturn's
 * `use-auth-secret` / `static-auth-secret`) each answer mints a credential that expires: the user
 * name is `<expiry unix time>:<user>` and the password the base64 HMAC-SHA1 of it with the secret,
 * as coturn checks it, so a leaked credential stops working on its own and the secret never leaves
 * the server. `user` names the caller in the TURN server's log without revealing who it is.
 */
export function iceServersFor(settings: Config['voice'], user: string, now: Date): IceServers {
  const iceServers: IceServers['iceServers'] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: settings.stunUrls });
  let expiresAt: string | null = null;
  if (settings.turnUrls.length > 0 && settings.turnSecret) {
    const expiry = Math.floor(now.getTime() / 1000) + settings.turnCredentialTtlSeconds;
    const username = `${expiry}:${createHash('sha256').update(user).digest('hex').slice(0, 16)}`;
    const credential = createHmac('sha1', settings.turnSecret).update(username).digest('base64');
    iceServers.push({ urls: settings.turnUrls, username, credential });
    expiresAt = new Date(expiry * 1000).toISOString();
  } else if (settings.turnUrls.length > 0 && settings.turnUsername && settings.turnCredential) {
    iceServers.push({ urls: settings.turnUrls, username: settings.turnUsername, credential: settings.turnCredential });
  }
  return { iceServers, expiresAt };
}
