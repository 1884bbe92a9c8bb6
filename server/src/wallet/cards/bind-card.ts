import type { BindCardRequest, Card } from '@okpay/contracts';
import { recordAudit } from '../../platform/audit.js';
import type { Config } from '../../platform/config.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Deps } from '../../platform/deps.js';
import { type Acquirer, AcquirerTimeoutError, type TokenizeResult } from './acquirer.js';
import { cardFingerprint, detectBrand, isCardExpired, isLuhnValid, normalizeCardNumber } from './card-number.js';
import { type CardRow, toCardView } from './card-view.js';
import { CardError, cardRefusal } from './cards.errors.js';

export type BindCardInput = { customerId: string; card: BindCardRequest; at: Date; ip: string | null };

type BindContext = Pick<Deps, 'pool' | 'db'> & { config: Pick<Config, 'cardFingerprintSecret' | 'timeZone'>; acquirer: Acquirer };

/** Bank refusals a customer may read as they are; anything else (lost, stolen, …) reads as a plain decline. */
const bindRefusals = ['card_declined', 'card_not_supported', 'expired_card', 'incorrect_cvc'] as const;
type BindRefusal = (typeof bindRefusals)[number];
const isBindRefusal = (code: string): code is BindRefusal => (bindRefusals as readonly string[]).includes(code);

/**
 * Binds a card: local checks in a fixed order (number, brand, expiry, CVC), then the acquirer
 * tokenizes it. Only the token, a keyed fingerprint, BIN, last four, brand, expiry and holder
 * name are stored.
 */
export async function bindCard(context: BindContext, input: BindCardInput): Promise<Card> {
  const pan = normalizeCardNumber(input.card.number);
  if (!isLuhnValid(pan)) throw cardRefusal('incorrect_number');
  const brand = detectBrand(pan);
  if (!brand) throw cardRefusal('card_not_supported');
  if (isCardExpired(input.card, input.at, context.config.timeZone)) throw cardRefusal('expired_card');
  // CVV is checked in memory and never stored or logged: PCI DSS 3.3.1. It leaves this function only towards the acquirer.
  if (!/^\d{3,4}$/.test(input.card.cvc)) throw cardRefusal('invalid_cvc');

  const fingerprint = cardFingerprint(pan, context.config.cardFingerprintSecret);
  const duplicate = await context.pool.query(
    "SELECT 1 FROM cards WHERE customer_id = $1 AND fingerprint = $2 AND status = 'active' LIMIT 1",
    [input.customerId, fingerprint],
  );
  if ((duplicate.rowCount ?? 0) > 0) throw CardError('card_already_bound');

  const last4 = pan.slice(-4);
  let tokenized: TokenizeResult;
  try {
    const { expMonth, expYear, cvc, holderName } = input.card;
    tokenized = await context.acquirer.tokenize({ number: pan, expMonth, expYear, cvc, holderName });
  } catch (error) {
    if (error instanceof AcquirerTimeoutError) throw cardRefusal('card_verification_unavailable');
    throw error;
  }
  if (tokenized.status === 'refused') {
    // The real reason stays in the audit trail for agents; risk declines read as a plain decline.
    await recordAudit(context.db, {
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
    return await withTransaction(context.pool, async (tx) => {
      const inserted = await tx.client.query<CardRow>(
        `INSERT INTO cards (customer_id, acquirer_token, fingerprint, brand, bin, last4, exp_month, exp_year, holder_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          input.customerId,
          tokenized.token,
          fingerprint,
          brand,
          pan.slice(0, 6),
          last4,
          input.card.expMonth,
          input.card.expYear,
          input.card.holderName,
          input.at,
        ],
      );
      const row = inserted.rows[0];
      if (!row) throw new Error('card insert returned nothing');
      await recordAudit(tx.db, {
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
