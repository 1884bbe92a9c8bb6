import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that must never reach a log line: credentials, tokens and card data (PCI DSS 3.3.1, 10.x). */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.cvc',
  '*.cvv',
  '*.number',
  '*.cardNumber',
  '*.idNumber',
];

export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}
