import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that must never reach a log line: credentials, tokens and card data (PCI DSS 3.3.1, 10.x). */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-chat-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.csrfToken',
  '*.signature',
  '*.cvc',
  '*.cvv',
  '*.number',
  '*.cardNumber',
  '*.idNumber',
];

/** Query parameters that carry a credential: reset and verification links, signed URLs. */
const secretParameters = /^(?:token|signature|access_token|code|key|password)$/i;

/** A URL fit for a log: the path, and the query with every credential's value replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const [name = '', ...value] = pair.split('=');
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is logged as it came.
      }
      return secretParameters.test(decoded) && value.length > 0 ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

type LoggedRequest = { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } };

/** What a request contributes to a log line at every level: never its headers, its URL without credentials. */
export const serializers = {
  req: (request: LoggedRequest) => ({
    method: request.method,
    url: request.url === undefined ? undefined : redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  err: pino.stdSerializers.err,
};

/** A logger writing JSON lines to stdout, pretty in a terminal, or to `destination` (tests read what was logged). */
export function createLogger(level: string, pretty = false, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    serializers,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...(pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
