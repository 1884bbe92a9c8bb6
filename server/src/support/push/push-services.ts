/**
 * Whether an endpoint belongs to one of the configured push services. The server POSTs to whatever
 * URL a browser subscribed with, so anything else (an internal address, a metadata service) is
 * refused when subscribing and again before sending. `https://*.notify.windows.com` matches any
 * subdomain; the port must match as written (default ports when none is written).
 */
export function isAllowedPushService(endpoint: string, origins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return origins.some((origin) => {
    const match = /^(https?):\/\/(\*\.)?([^/:]+)(?::(\d+))?$/.exec(origin);
    if (!match) return false;
    const [, scheme, wildcard, host, port] = match;
    if (url.protocol !== `${scheme}:`) return false;
    if ((url.port || '') !== (port && port !== (scheme === 'https' ? '443' : '80') ? port : '')) return false;
    const hostname = url.hostname.toLowerCase();
    return wildcard ? hostname.endsWith(`.${host}`) : hostname === host;
  });
}
