import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SupportDeps } from '../../support-deps.js';
import { EmailError } from '../email.errors.js';
import { acceptInbound } from '../email-channel.js';

const webhookMaxAgeSeconds = 15 * 60;

/**
 * Mailgun's webhook signature: HMAC-SHA256 of timestamp + token with the webhook signing key,
 * hex. The timestamp must be recent, so a captured request cannot be replayed later.
 */
export function isMailgunSignatureValid(
  key: string,
  fields: { timestamp: string; token: string; signature: string },
  nowSeconds: number,
): 'ok' | 'invalid' | 'stale' {
  const expected = createHmac('sha256', key).update(`${fields.timestamp}${fields.token}`).digest();
  const given = /^[0-9a-f]{64}$/i.test(fields.signature) ? Buffer.from(fields.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  const timestamp = Number(fields.timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > webhookMaxAgeSeconds) return 'stale';
  return 'ok';
}

export const emailTooLarge = (limit: number) => EmailError('email_too_large', { limit: `${Math.round(limit / 1024 / 1024)} MB` });

/**
 * A raw message the provider posted to the webhook (Mailgun's forward() route): taken only when
 * signed with the webhook signing key within the last 15 minutes, then stored and processed like
 * mail that came in by SMTP.
 */
export async function acceptWebhookMail(
  deps: SupportDeps,
  input: { fields: Record<string, string>; raw: Buffer | undefined; remoteAddress: string },
): Promise<{ id: string; isDuplicate: boolean }> {
  const key = deps.config.email.webhookSigningKey;
  if (!key) throw EmailError('email_webhook_disabled');
  const { fields, raw } = input;
  const verdict = isMailgunSignatureValid(
    key,
    { timestamp: fields.timestamp ?? '', token: fields.token ?? '', signature: fields.signature ?? '' },
    Math.floor(deps.clock.now().getTime() / 1000),
  );
  if (verdict === 'invalid') throw EmailError('email_webhook_signature_invalid');
  if (verdict === 'stale') throw EmailError('email_webhook_stale');
  if (!raw || raw.length === 0) throw EmailError('email_webhook_body_missing');
  if (raw.length > deps.config.email.maxMessageBytes) throw emailTooLarge(deps.config.email.maxMessageBytes);
  return acceptInbound(
    deps,
    {
      source: 'webhook',
      envelopeFrom: fields.sender ?? null,
      envelopeTo: (fields.recipient ?? deps.config.email.supportAddress)
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
      remoteAddress: input.remoteAddress,
    },
    raw,
  );
}
