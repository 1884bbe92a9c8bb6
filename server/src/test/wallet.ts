import { type CurrencyCode, currencySchema } from '@okpay/contracts';
import type pg from 'pg';
import { withTransaction } from '../platform/index.js';
import type { Runtime } from '../runtime.js';
import { customerAccountId, systemAccountId } from '../wallet/ledger/ledger.repository.js';
import { postEntry } from '../wallet/ledger/post-entry.js';
import { goodPassword, type HttpClient, httpClient, uniqueEmail } from './http.js';

/** Puts money on a customer's account as if a bank had paid it in (acquirer clearing → customer). */
export async function fundCustomer(pool: pg.Pool, customerId: string, currency: CurrencyCode, amount: number): Promise<void> {
  currencySchema.parse(currency);
  await withTransaction(pool, async (tx) => {
    const customer = await customerAccountId(tx, customerId, currency);
    const clearing = await systemAccountId(tx, 'acquirer_clearing', currency);
    await postEntry(tx, {
      kind: 'adjustment',
      reference: 'test-funding',
      postings: [
        { accountId: clearing, amount: -amount },
        { accountId: customer, amount },
      ],
    });
  });
}

/** Gives customers an approved identity verification (placeholder document), as a supervisor's approval would. */
export async function approveIdentities(pool: pg.Pool, customerIds: readonly string[]): Promise<void> {
  await pool.query(
    `INSERT INTO identity_verifications (customer_id, real_name, id_type, id_number_encrypted, id_number_last4, document_encrypted, document_mime_type, document_size, status)
     SELECT id, 'Test', 'passport', '\\x00', '0000', '\\x00', 'image/png', 1, 'approved' FROM unnest($1::uuid[]) AS id`,
    [customerIds],
  );
}

/** Registers a customer over HTTP and returns a signed-in client plus ids. */
export async function signedInCustomer(runtime: Runtime, overrides: { phone?: string; displayName?: string } = {}) {
  const email = uniqueEmail('wallet');
  const client = httpClient(runtime.app);
  const response = await client.post('/api/auth/register', {
    email,
    password: goodPassword,
    displayName: overrides.displayName ?? '测试用户',
    ...(overrides.phone ? { phone: overrides.phone } : {}),
  });
  if (response.status !== 201) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  const customer = (response.body as { customer: { id: string } }).customer;
  return { client, email, id: customer.id };
}

let keyCounter = 0;
export function newIdempotencyKey(): string {
  keyCounter += 1;
  return `test-${Date.now().toString(36)}-${keyCounter}-${Math.random().toString(36).slice(2)}`;
}

/** Binds a sandbox test card (by default one whose every charge succeeds) for the customer; its id. */
export async function bindTestCard(customer: { client: HttpClient }, number = '4242 4242 4242 4242'): Promise<string> {
  const bound = await customer.client.post('/api/wallet/cards', {
    number,
    expMonth: 12,
    expYear: new Date().getFullYear() + 2,
    cvc: '123',
    holderName: 'TEST CARD',
  });
  if (bound.status !== 201) throw new Error(`binding a card failed: ${JSON.stringify(bound.body)}`);
  return (bound.body as { id: string }).id;
}

/**
 * A top-up the bank declined (the sandbox declines card 4000 0000 0000 9987 with `card_declined`),
 * by the customer's own client: something to link to a conversation. Answers the top-up's id.
 */
export async function declinedTopUp(client: HttpClient): Promise<string> {
  const cardId = await bindTestCard({ client }, '4000 0000 0000 9987');
  const topUp = await client.post(
    '/api/wallet/top-ups',
    { cardId, amount: 100_00, currency: 'CNY' },
    { 'idempotency-key': newIdempotencyKey() },
  );
  return (topUp.body as { id: string }).id;
}
