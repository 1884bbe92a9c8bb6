import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { sqlState } from '../../platform/db/errors.js';
import { type Tx, withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { WalletError } from '../wallet.errors.js';

export type StoredResponse = { status: number; body: unknown };

/** Keys are client-generated (UUIDs suggested), 1–255 visible ASCII characters. */
const keyPattern = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyOf(request: FastifyRequest): string {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || key === '') throw WalletError('idempotency_key_missing');
  if (!keyPattern.test(key)) throw WalletError('idempotency_key_invalid');
  return key;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

type Claim = { customerId: string; key: string; hash: string };

/**
 * Claims the key inside `tx`. A concurrent request with the same key blocks on the unique index
 * until this transaction ends, then sees the stored response: duplicates never run twice.
 * Returns the stored response when the key was already used for this very request.
 */
async function claim(client: pg.PoolClient, request: Claim): Promise<StoredResponse | undefined> {
  const inserted = await client.query(
    `INSERT INTO idempotency_keys (customer_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id, key) DO NOTHING`,
    [request.customerId, request.key, request.hash],
  );
  if (inserted.rowCount === 1) return undefined;
  const existing = await client.query<{ request_hash: string; state: string; response_status: number; response_body: unknown }>(
    'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
    [request.customerId, request.key],
  );
  const row = existing.rows[0];
  if (!row) throw WalletError('idempotency_key_in_progress');
  if (row.request_hash !== request.hash) throw WalletError('idempotency_key_reused');
  if (row.state !== 'completed') throw WalletError('idempotency_key_in_progress');
  return { status: row.response_status, body: row.response_body };
}

async function store(client: pg.PoolClient, request: Claim, response: StoredResponse): Promise<void> {
  await client.query(
    `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = now()
     WHERE customer_id = $1 AND key = $2`,
    [request.customerId, request.key, response.status, JSON.stringify(response.body)],
  );
}

export type IdempotentContext = {
  pool: pg.Pool;
  customerId: string;
  request: FastifyRequest;
  /** Renders a business refusal the way the error handler would, so the stored answer is the same. */
  renderError: (error: AppError) => StoredResponse;
};

/**
 * Runs a local money-moving operation exactly once per key: the claim, the work and the stored
 * response commit together. A business refusal (say, insufficient funds) is stored and replayed
 * too; the work it started is rolled back to a savepoint first.
 */
export async function runIdempotent(
  context: IdempotentContext,
  work: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { isReplay: boolean }> {
  const key = idempotencyKeyOf(context.request);
  const request: Claim = {
    customerId: context.customerId,
    key,
    hash: requestHash(context.request.method, context.request.routeOptions.url ?? context.request.url, {
      body: context.request.body,
      params: context.request.params,
    }),
  };
  try {
    return await withTransaction(context.pool, async (tx) => {
      // A duplicate waits for the first request at most this long, then hears 409.
      await tx.client.query("SET LOCAL lock_timeout = '5s'");
      const stored = await claim(tx.client, request);
      if (stored) return { ...stored, isReplay: true };
      await tx.client.query('SAVEPOINT idempotent_work');
      let response: StoredResponse;
      try {
        response = await work(tx);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        await tx.client.query('ROLLBACK TO SAVEPOINT idempotent_work');
        response = context.renderError(error);
      }
      await store(tx.client, request, response);
      return { ...response, isReplay: false };
    });
  } catch (error) {
    if (sqlState(error) === '55P03') throw WalletError('idempotency_key_in_progress');
    throw error;
  }
}

/** Claims a key for a two-phase operation (a top-up that waits on the bank) and commits the claim. */
export async function claimIdempotencyKey(pool: pg.Pool, context: { customerId: string; request: FastifyRequest }) {
  const request: Claim = {
    customerId: context.customerId,
    key: idempotencyKeyOf(context.request),
    hash: requestHash(context.request.method, context.request.routeOptions.url ?? context.request.url, {
      body: context.request.body,
      params: context.request.params,
    }),
  };
  const stored = await withTransaction(pool, (tx) => claim(tx.client, request));
  return {
    stored,
    /** Stores the final answer; later requests with the key replay it. */
    complete: (response: StoredResponse) => withTransaction(pool, (tx) => store(tx.client, request, response)),
    /** Forgets the claim when nothing was started (validation failed before any side effect). */
    release: () =>
      pool.query("DELETE FROM idempotency_keys WHERE customer_id = $1 AND key = $2 AND state = 'in_progress'", [
        request.customerId,
        request.key,
      ]),
  };
}

export function sendStored(reply: FastifyReply, response: StoredResponse & { isReplay: boolean }) {
  if (response.isReplay) reply.header('idempotent-replayed', 'true');
  return reply.status(response.status).send(response.body);
}

/** Deletes keys older than the retention window (at least 24 hours, by default 48). */
export async function pruneIdempotencyKeys(pool: pg.Pool, olderThanHours = 48): Promise<number> {
  const result = await pool.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)', [olderThanHours]);
  return result.rowCount ?? 0;
}
