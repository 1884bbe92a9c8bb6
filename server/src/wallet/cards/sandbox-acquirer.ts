import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/index.js';
import { type Acquirer, AcquirerTimeoutError, type ChargeResult } from './acquirer.js';
import { detectBrand } from './card-number.js';
import { sandboxAcquirerCards, sandboxAcquirerCharges } from './cards.tables.js';

export type SandboxScenario =
  | 'success'
  | 'declined_at_binding'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'lost_card'
  | 'stolen_card'
  | 'charge_declined'
  | 'answer_lost'
  | 'request_lost'
  | 'slow_answer';

/**
 * The sandbox bank's test cards (Stripe's numbers where Stripe has one). Nothing else is accepted,
 * so no live PAN can enter a pre-production environment (PCI DSS 6.5.5).
 */
export const sandboxTestCards: ReadonlyArray<{ number: string; scenario: SandboxScenario; outcome: string }> = [
  { number: '4242424242424242', scenario: 'success', outcome: 'binds; every charge succeeds' },
  { number: '5555555555554444', scenario: 'success', outcome: 'binds; every charge succeeds (Mastercard)' },
  { number: '2223003122003222', scenario: 'success', outcome: 'binds; every charge succeeds (Mastercard 2-series)' },
  { number: '378282246310005', scenario: 'success', outcome: 'binds; every charge succeeds (American Express)' },
  { number: '3566002020360505', scenario: 'success', outcome: 'binds; every charge succeeds (JCB)' },
  { number: '6200000000000005', scenario: 'success', outcome: 'binds; every charge succeeds (UnionPay)' },
  { number: '6205500000000000004', scenario: 'success', outcome: 'binds; every charge succeeds (UnionPay, 19 digits)' },
  { number: '4000000000000002', scenario: 'declined_at_binding', outcome: 'refused at binding: card_declined' },
  { number: '4000000000009995', scenario: 'insufficient_funds', outcome: 'binds; charges decline insufficient_funds' },
  { number: '4000000000000069', scenario: 'expired_card', outcome: 'binds; charges decline expired_card' },
  { number: '4000000000000127', scenario: 'incorrect_cvc', outcome: 'binds; charges decline incorrect_cvc' },
  { number: '4000000000000119', scenario: 'processing_error', outcome: 'binds; charges fail processing_error, nothing charged' },
  { number: '4000000000009987', scenario: 'lost_card', outcome: 'binds; charges decline lost_card' },
  { number: '4000000000009979', scenario: 'stolen_card', outcome: 'binds; charges decline stolen_card' },
  { number: '4000000000000341', scenario: 'charge_declined', outcome: 'binds; charges decline card_declined' },
  { number: '4000000000000408', scenario: 'answer_lost', outcome: 'binds; the charge is applied but the answer is lost' },
  { number: '4000000000000416', scenario: 'request_lost', outcome: 'binds; the charge request never reaches the bank' },
  { number: '4000000000000424', scenario: 'slow_answer', outcome: 'binds; the charge is applied at once, the answer takes 20 seconds' },
];

const scenarioByNumber = new Map(sandboxTestCards.map((card) => [card.number, card.scenario]));

const declineCodes: Partial<Record<SandboxScenario, string>> = {
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  processing_error: 'processing_error',
  lost_card: 'lost_card',
  stolen_card: 'stolen_card',
  charge_declined: 'card_declined',
};

/** SQL for the outcome a card's scenario gives a charge: a decline code, or success; an unknown token is declined. */
function outcomeSql(scenario: string): string {
  const declines = Object.entries(declineCodes)
    .map(([name, code]) => `WHEN '${name}' THEN '${code}'`)
    .join(' ');
  return `(CASE WHEN ${scenario} IS NULL THEN 'card_declined' ELSE (CASE ${scenario} ${declines} ELSE 'succeeded' END) END)`;
}

/** How long the bank takes to answer a charge on the slow test card. */
const slowAnswerMs = 20_000;

const newId = (prefix: string) => `${prefix}_sandbox_${randomBytes(12).toString('hex')}`;

function toResult(row: { outcome: string; reference: string }): ChargeResult {
  return row.outcome === 'succeeded'
    ? { status: 'succeeded', reference: row.reference }
    : { status: 'declined', code: row.outcome, reference: row.reference };
}

/**
 * A simulated bank with its own vault and charge book in the sandbox_acquirer_* tables. It keeps
 * no PAN and no CVC: a token remembers only which test scenario the card plays.
 */
export function createSandboxAcquirer(db: Queryable): Acquirer {
  return {
    async tokenize(card) {
      const scenario = scenarioByNumber.get(card.number);
      if (!scenario) return { status: 'refused', code: 'card_not_supported' };
      // The verification at binding (a zero-amount authorisation) refuses this card outright.
      if (scenario === 'declined_at_binding') return { status: 'refused', code: 'card_declined' };
      const token = newId('tok');
      await db.insert(sandboxAcquirerCards).values({
        token,
        scenario,
        brand: detectBrand(card.number) ?? 'unknown',
        last4: card.number.slice(-4),
        expMonth: card.expMonth,
        expYear: card.expYear,
      });
      return { status: 'tokenized', token };
    },

    async charge(request) {
      // One statement: the card's scenario read, and the charge recorded unless the request is lost
      // on its way in. Idempotent on the key: the first request records the outcome, any later one replays it.
      const recorded = await db.$client.query<{ scenario: SandboxScenario | null; outcome: string | null; reference: string | null }>({
        name: 'okpay_sandbox_charge',
        text: `WITH card AS (SELECT scenario FROM sandbox_acquirer_cards WHERE token = $2),
               charged AS (
                 INSERT INTO sandbox_acquirer_charges (idempotency_key, token, amount, currency, outcome, reference)
                 SELECT $1, $2, $3, $4, ${outcomeSql('card.scenario')}, $5
                 FROM (SELECT 1) AS one LEFT JOIN card ON true WHERE card.scenario IS DISTINCT FROM 'request_lost'
                 ON CONFLICT (idempotency_key) DO NOTHING
                 RETURNING outcome, reference)
               SELECT (SELECT scenario FROM card) AS scenario, charged.outcome, charged.reference
               FROM (SELECT 1) AS one LEFT JOIN charged ON true`,
        values: [request.idempotencyKey, request.token, request.amount, request.currency, newId('ch')],
      });
      const row = recorded.rows[0];
      const scenario = row?.scenario ?? undefined;
      // Lost on the way in: the bank never sees the request.
      if (scenario === 'request_lost') throw new AcquirerTimeoutError('the charge request did not reach the bank');
      if (row?.outcome && row.reference) {
        // Lost on the way out: the money moved at the bank, the answer never arrives.
        if (scenario === 'answer_lost') throw new AcquirerTimeoutError('the bank charged the card but its answer was lost');
        // A slow bank: the money has moved, the answer is on its way (a duplicate meanwhile hears 409).
        if (scenario === 'slow_answer') await new Promise((resolve) => setTimeout(resolve, slowAnswerMs));
        return toResult({ outcome: row.outcome, reference: row.reference });
      }
      const [existing] = await db
        .select()
        .from(sandboxAcquirerCharges)
        .where(eq(sandboxAcquirerCharges.idempotencyKey, request.idempotencyKey));
      if (!existing) throw new Error('sandbox charge vanished');
      if (existing.token !== request.token || existing.amount !== request.amount || existing.currency !== request.currency) {
        throw new Error('sandbox acquirer: idempotency key reused with different parameters');
      }
      return toResult(existing);
    },

    async findCharge(idempotencyKey) {
      const [row] = await db.select().from(sandboxAcquirerCharges).where(eq(sandboxAcquirerCharges.idempotencyKey, idempotencyKey));
      return row ? toResult(row) : undefined;
    },

    async refund(request) {
      // Idempotent like charges: the first refund is recorded and any later call replays it (one
      // refund per charge here, so the charge's key identifies it).
      const [refunded] = await db
        .update(sandboxAcquirerCharges)
        .set({
          refundReference: sql`coalesce(${sandboxAcquirerCharges.refundReference}, ${newId('re')})`,
          refundedAt: sql`coalesce(${sandboxAcquirerCharges.refundedAt}, now())`,
        })
        .where(
          and(
            eq(sandboxAcquirerCharges.idempotencyKey, request.chargeIdempotencyKey),
            eq(sandboxAcquirerCharges.outcome, 'succeeded'),
            eq(sandboxAcquirerCharges.amount, request.amount),
            eq(sandboxAcquirerCharges.currency, request.currency),
          ),
        )
        .returning({ refundReference: sandboxAcquirerCharges.refundReference });
      if (refunded?.refundReference) return { status: 'refunded', reference: refunded.refundReference };
      const [charged] = await db
        .select({ key: sandboxAcquirerCharges.idempotencyKey })
        .from(sandboxAcquirerCharges)
        .where(
          and(eq(sandboxAcquirerCharges.idempotencyKey, request.chargeIdempotencyKey), eq(sandboxAcquirerCharges.outcome, 'succeeded')),
        );
      if (charged) throw new Error('sandbox acquirer: refund does not match the charge');
      return { status: 'not_charged' };
    },
  };
}
