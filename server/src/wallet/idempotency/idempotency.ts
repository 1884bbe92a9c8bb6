import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  type Database,
  type Queryable,
  sqlState,
  type Transaction,
  withSavepoint,
  withTransaction,
} from '../../platform/index.js';
import { WalletError } from '../wallet.errors.js';
import {
  completeIdempotencyKey,
  deleteIdempotencyKeysOlderThan,
  deleteInProgressIdempotencyKey,
  findIdempotencyKey,
  insertIdempotencyKey,
  limitLockWait,
  type StoredResponse,
  takeOverIdempotencyClaim,
} from './idempotency.repository.js';

export type { StoredResponse };

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

/** A request's claim on its key: whose, which key, and a hash of what was asked. */
export type IdempotencyClaim = { customerId: string; key: string; hash: string };
type Claim = IdempotencyClaim;

/**
 * Claims the key inside `tx`. A concurrent request with the same key blocks on the unique index
 * until this transaction ends, then sees the stored response: duplicates never run twice.
 * Returns the stored response when the key was already used for this very request.
 */
async function claim(tx: Transaction, request: Claim): Promise<StoredResponse | undefined> {
  if (await insertIdempotencyKey(tx, { customerId: request.customerId, key: request.key, requestHash: request.hash })) return undefined;
  const row = await findIdempotencyKey(tx, request);
  if (!row) throw WalletError('idempotency_key_in_progress');
  if (row.requestHash !== request.hash) throw WalletError('idempotency_key_reused');
  if (row.state !== 'completed') throw WalletError('idempotency_key_in_progress');
  return { status: row.responseStatus ?? 500, body: row.responseBody };
}

export type IdempotentContext = {
  db: Database;
  customerId: string;
  request: FastifyRequest;
  /** Renders a business refusal the way the error handler would, so the stored answer is the same. */
  renderError: (error: AppError) => StoredResponse;
};

/** The claim a request makes: its Idempotency-Key (refused when missing or malformed) and the hash of its method, route and body. */
export function idempotencyClaimOf(customerId: string, request: FastifyRequest): Claim {
  return {
    customerId,
    key: idempotencyKeyOf(request),
    hash: requestHash(request.method, request.routeOptions.url ?? request.url, { body: request.body, params: request.params }),
  };
}

/**
 * Runs a local money-moving operation exactly once per key: the claim, the work and the stored
 * response commit together. A business refusal (say, insufficient funds) is stored and replayed
 * too; the work it started is rolled back to a savepoint first.
 */
export async function runIdempotent(
  context: IdempotentContext,
  work: (tx: Transaction) => Promise<StoredResponse>,
): Promise<StoredResponse & { isReplay: boolean }> {
  const request = idempotencyClaimOf(context.customerId, context.request);
  try {
    return await withTransaction(context.db.$client, async (tx) => {
      // A duplicate waits for the first request at most this long, then hears 409.
      await limitLockWait(tx, 5);
      const stored = await claim(tx, request);
      if (stored) return { ...stored, isReplay: true };
      let response: StoredResponse;
      try {
        response = await withSavepoint(tx, () => work(tx));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        response = context.renderError(error);
      }
      await completeIdempotencyKey(tx, request, response);
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
  /** Fences the work: the work may start only while this token still holds the key (the top-up's first phase checks it, see okpay_begin_top_up). */
  token: string;
  /** Stores the final answer unless one is stored already; later requests with the key replay it. */
  complete(response: StoredResponse): Promise<void>;
  /** Forgets this request's claim when nothing was started (refused before any side effect). */
  release(): Promise<void>;
};

export type TwoPhaseClaimOptions = {
  at: Date;
  /** A claim this old whose work never started belongs to a request that died: a retry takes it over. */
  staleAfterSeconds: number;
  /** Whether the claimed work has started (e.g. a top-up row exists for the key), read under the claim's lock. */
  hasStarted(tx: Transaction): Promise<boolean>;
};

/**
 * Claims a key for a two-phase operation (a top-up that waits on the bank) and commits the claim,
 * so a duplicate during the bank call hears 409 rather than charging twice. A request killed after
 * claiming must not leave the key stuck: once the claim is older than the bound and its work never
 * started, a retry takes the claim over with a new token, which fences the dead request out.
 * A claim whose work did start is resolved from that work by the caller.
 */
export async function claimIdempotencyKey(db: Database, request: Claim, options: TwoPhaseClaimOptions): Promise<TwoPhaseClaim> {
  const token = randomUUID();
  const held = { token, at: options.at };
  const outcome = await withTransaction(db.$client, async (tx) => {
    // A claim being taken over is locked for that moment; a retry waits at most this long, then hears 409.
    await limitLockWait(tx, 5);
    if (await insertIdempotencyKey(tx, { customerId: request.customerId, key: request.key, requestHash: request.hash, claim: held })) {
      return { isOwner: true, stored: undefined };
    }
    const row = await findIdempotencyKey(tx, request, { forUpdate: true });
    if (!row) throw WalletError('idempotency_key_in_progress');
    if (row.requestHash !== request.hash) throw WalletError('idempotency_key_reused');
    if (row.state === 'completed') return { isOwner: false, stored: { status: row.responseStatus ?? 500, body: row.responseBody } };
    const isStale = options.at.getTime() - row.claimedAt.getTime() >= options.staleAfterSeconds * 1000;
    if (!isStale || (await options.hasStarted(tx))) return { isOwner: false, stored: undefined };
    await takeOverIdempotencyClaim(tx, request, held);
    return { isOwner: true, stored: undefined };
  }).catch((error: unknown) => {
    if (sqlState(error) === '55P03') throw WalletError('idempotency_key_in_progress');
    throw error;
  });
  return {
    ...outcome,
    token,
    complete: (response) => completeIdempotencyKey(db, request, response, { onlyInProgress: true }),
    release: () => deleteInProgressIdempotencyKey(db, { ...request, token }),
  };
}

export function sendStored(reply: FastifyReply, response: StoredResponse & { isReplay: boolean }) {
  if (response.isReplay) reply.header('idempotent-replayed', 'true');
  return reply.status(response.status).send(response.body);
}

/** Deletes keys older than the retention window (at least 24 hours, by default 48). */
export async function pruneIdempotencyKeys(db: Queryable, olderThanHours = 48): Promise<number> {
  return deleteIdempotencyKeysOlderThan(db, olderThanHours);
}
