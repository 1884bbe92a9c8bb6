import { type BindCardRequest, type Card, isLuhnValid } from '@okpay/contracts';
import type { Config } from '../../platform/index.js';
import { recordAudit, uniqueViolation, withTransaction } from '../../platform/index.js';
import type { WalletDeps } from '../wallet-deps.js';
import { AcquirerTimeoutError, type TokenizeResult } from './acquirer.js';
import { cardFingerprint, detectBrand, isCardExpired, normalizeCardNumber } from './card-number.js';
import { toCardView } from './card-view.js';
import { CardError, cardRefusal } from './cards.errors.js';
import { hasActiveCardWithFingerprint, insertCard } from './cards.repository.js';

export type BindCardInput = { customerId: string; card: BindCardRequest; at: Date; ip: string | null };

type BindDeps = Pick<WalletDeps, 'pool' | 'db' | 'acquirer'> & { config: Pick<Config, 'cardFingerprintSecret' | 'timeZone'> };

/** Bank refusals a customer may read as they are; anything else (lost, stolen, …) reads as a plain decline. */
const bindRefusals = ['card_declined', 'card_not_supported', 'expired_card', 'incorrect_cvc'] as const;
type BindRefusal = (typeof bindRefusals)[number];
const isBindRefusal = (code: string): code is BindRefusal => (bindRefusals as readonly string[]).includes(code);

/**
 * Binds a card: local checks in a fixed order (number, brand, expiry, CVC), then the acquirer
 * tokenizes it. Only the token, a keyed fingerprint, BIN, last four, brand, expiry and holder
 * name are stored.
 */
export async function bindCard(deps: BindDeps, input: BindCardInput): Promise<Card> {
  const pan = normalizeCardNumber(input.card.number);
  if (!isLuhnValid(pan)) throw cardRefusal('incorrect_number');
  const brand = detectBrand(pan);
  if (!brand) throw cardRefusal('card_not_supported');
  if (isCardExpired(input.card, input.at, deps.config.timeZone)) throw cardRefusal('expired_card');
  // CVV is checked in memory and never stored or logged: PCI DSS 3.3.1. It leaves this function only towards the acquirer.
  if (!/^\d{3,4}$/.test(input.card.cvc)) throw cardRefusal('invalid_cvc');

  const fingerprint = cardFingerprint(pan, deps.config.cardFingerprintSecret);
  if (await hasActiveCardWithFingerprint(deps.db, input.customerId, fingerprint)) throw CardError('card_already_bound');

  const last4 = pan.slice(-4);
  let tokenized: TokenizeResult;
  try {
    const { expMonth, expYear, cvc, holderName } = input.card;
    tokenized = await deps.acquirer.tokenize({ number: pan, expMonth, expYear, cvc, holderName });
  } catch (error) {
    if (error instanceof AcquirerTimeoutError) throw cardRefusal('card_verification_unavailable');
    throw error;
  }
  if (tokenized.status === 'refused') {
    // The real reason stays in the audit trail for agents; risk declines read as a plain decline.
    await recordAudit(deps.db, {
      actor: { type: 'customer', id: input.customerId },
      action: 'card.bound',
      outcome: 'failure',
      ip: input.ip,
      details: { code: tokenized.code, brand, last4 },
    });
    if (tokenized.code === 'processing_error') throw cardRefusal('card_verification_unavailable');
    throw cardRefusal(isBindRefusal(tokenized.code) ? tokenized.code : 'card_declined');
  }

  try {
    return await withTransaction(deps.pool, async (tx) => {
      const row = await insertCard(tx, {
        customerId: input.customerId,
        acquirerToken: tokenized.token,
        fingerprint,
        brand,
        bin: pan.slice(0, 6),
        last4,
        expMonth: input.card.expMonth,
        expYear: input.card.expYear,
        holderName: input.card.holderName,
        createdAt: input.at,
      });
      await recordAudit(tx, {
        actor: { type: 'customer', id: input.customerId },
        action: 'card.bound',
        target: { type: 'card', id: row.id },
        ip: input.ip,
        details: { brand, last4 },
      });
      return toCardView(row);
    });
  } catch (error) {
    // Two binds of the same card at once: the partial unique index lets one through.
    if (uniqueViolation(error) === 'cards_customer_fingerprint_key') throw CardError('card_already_bound');
    throw error;
  }
}
