import { createHash, randomUUID } from 'node:crypto';
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

export type TwoPhaseClaim = {
  /** The stored answer when the key's request has finished: replay it. */
  stored: StoredResponse | undefined;
  /** This request holds the key and does the work; otherwise another request holds it (or held it and died). */
  isOwner: boolean;
  /** Fences the work: the work may start only while this token still holds the key (see assertClaimHeld). */
  token: string;
  /** Stores the final answer unless one is stored already; later requests with the key replay it. */
  complete(response: StoredResponse): Promise<void>;
  /** Forgets this request's claim when nothing was started (refused before any side effect). */
  release(): Promise<void>;
};

export type TwoPhaseClaimOptions = {
  customerId: string;
  request: FastifyRequest;
  at: Date;
  /** A claim this old whose work never started belongs to a request that died: a retry takes it over. */
  staleAfterSeconds: number;
  /** Whether the claimed work has started (e.g. a top-up row exists for the key), read under the claim's lock. */
  hasStarted(client: pg.PoolClient): Promise<boolean>;
};

/**
 * Claims a key for a two-phase operation (a top-up that waits on the bank) and commits the claim,
 * so a duplicate during the bank call hears 409 rather than charging twice. A request killed after
 * claiming must not leave the key stuck: once the claim is older than the bound and its work never
 * started, a retry takes the claim over with a new token, which fences the dead request out.
 * A claim whose work did start is resolved from that work by the caller.
 */
export async function claimIdempotencyKey(pool: pg.Pool, options: TwoPhaseClaimOptions): Promise<TwoPhaseClaim> {
  const request: Claim = {
    customerId: options.customerId,
    key: idempotencyKeyOf(options.request),
    hash: requestHash(options.request.method, options.request.routeOptions.url ?? options.request.url, {
      body: options.request.body,
      params: options.request.params,
    }),
  };
  const token = randomUUID();
  const outcome = await withTransaction(pool, async (tx) => {
    // A claim being taken over is locked for that moment; a retry waits at most this long, then hears 409.
    await tx.client.query("SET LOCAL lock_timeout = '5s'");
    const inserted = await tx.client.query(
      `INSERT INTO idempotency_keys (customer_id, key, request_hash, claim_token, claimed_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (customer_id, key) DO NOTHING`,
      [request.customerId, request.key, request.hash, token, options.at],
    );
    if (inserted.rowCount === 1) return { isOwner: true, stored: undefined };
    const existing = await tx.client.query<{
      request_hash: string;
      state: string;
      response_status: number;
      response_body: unknown;
      claimed_at: Date;
    }>(
      `SELECT request_hash, state, response_status, response_body, claimed_at FROM idempotency_keys
       WHERE customer_id = $1 AND key = $2 FOR UPDATE`,
      [request.customerId, request.key],
    );
    const row = existing.rows[0];
    if (!row) throw WalletError('idempotency_key_in_progress');
    if (row.request_hash !== request.hash) throw WalletError('idempotency_key_reused');
    if (row.state === 'completed') return { isOwner: false, stored: { status: row.response_status, body: row.response_body } };
    const isStale = options.at.getTime() - row.claimed_at.getTime() >= options.staleAfterSeconds * 1000;
    if (!isStale || (await options.hasStarted(tx.client))) return { isOwner: false, stored: undefined };
    await tx.client.query('UPDATE idempotency_keys SET claim_token = $3, claimed_at = $4 WHERE customer_id = $1 AND key = $2', [
      request.customerId,
      request.key,
      token,
      options.at,
    ]);
    return { isOwner: true, stored: undefined };
  }).catch((error: unknown) => {
    if (sqlState(error) === '55P03') throw WalletError('idempotency_key_in_progress');
    throw error;
  });
  return {
    ...outcome,
    token,
    complete: (response) => completeIdempotencyKey(pool, request, response),
    release: async () => {
      await pool.query("DELETE FROM idempotency_keys WHERE customer_id = $1 AND key = $2 AND claim_token = $3 AND state = 'in_progress'", [
        request.customerId,
        request.key,
        token,
      ]);
    },
  };
}

/**
 * Stores the answer of a key still in progress (the first answer stored is the one replayed). Also
 * used by reconciliation for a request cut off before it stored its answer.
 */
export async function completeIdempotencyKey(
  db: pg.Pool | pg.PoolClient,
  claim: { customerId: string; key: string },
  response: StoredResponse,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = now()
     WHERE customer_id = $1 AND key = $2 AND state = 'in_progress'`,
    [claim.customerId, claim.key, response.status, JSON.stringify(response.body)],
  );
}

/**
 * Inside the transaction that starts the work: proves this request still holds its key (a retry
 * may have taken over a claim it thought dead) and keeps the claim locked until the work is
 * recorded, so a takeover sees either no work or all of it.
 */
export async function assertClaimHeld(client: pg.PoolClient, claim: { customerId: string; key: string; token: string }): Promise<void> {
  const held = await client.query(
    "SELECT 1 FROM idempotency_keys WHERE customer_id = $1 AND key = $2 AND claim_token = $3 AND state = 'in_progress' FOR UPDATE",
    [claim.customerId, claim.key, claim.token],
  );
  if (held.rowCount === 0) throw WalletError('idempotency_key_in_progress');
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
