import type pg from 'pg';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { PlatformError } from '../errors.js';

export type RateLimiter = {
  /** Counts one attempt; throws `rate_limited` (429, Retry-After) once the budget is spent. */
  consume(key: string): Promise<void>;
  /** Throws `rate_limited` when the budget is already spent, without counting. */
  check(key: string): Promise<void>;
  reset(key: string): Promise<void>;
};

/** Fixed-window counters kept in PostgreSQL, so every node sees the same budget. */
export function createRateLimiter(pool: pg.Pool, name: string, points: number, windowSeconds: number): RateLimiter {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: name,
    points,
    duration: windowSeconds,
  });
  return wrap(limiter, points);
}

/**
 * Fixed-window counters in this node's memory: for budgets on reads that must stay cheap (a
 * durable write per help search cost more than the search). Each node counts on its own, so with
 * N nodes behind a balancer a caller gets up to N times the budget; use `createRateLimiter` where
 * the budget protects something that matters (sign-in, mail, money).
 */
export function createNodeRateLimiter(name: string, points: number, windowSeconds: number): RateLimiter {
  return wrap(new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds }), points);
}

function wrap(limiter: RateLimiterAbstract, points: number): RateLimiter {
  const refuse = (result: RateLimiterRes) =>
    PlatformError('rate_limited', { retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) });
  return {
    async consume(key) {
      try {
        await limiter.consume(key.toLowerCase());
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw refuse(rejection);
        throw rejection;
      }
    },
    async check(key) {
      const result = await limiter.get(key.toLowerCase());
      if (result && result.consumedPoints >= points) throw refuse(result);
    },
    async reset(key) {
      await limiter.delete(key.toLowerCase());
    },
  };
}
