import { useCallback, useRef } from 'react';
import { ApiError } from './client';

/** A random UUID v4; `crypto.randomUUID` exists only on HTTPS pages and localhost, getRandomValues everywhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The answer never arrived, or the first attempt is still running: the retry must be the same request. */
function isUnanswered(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'network_error' || error.code === 'idempotency_key_in_progress');
}

/**
 * Sends a money-moving request with an Idempotency-Key: a fresh key per submission, the same key
 * when the very same request is sent again after it went unanswered, so a retry can never pay twice.
 */
export function useIdempotentSend() {
  const unanswered = useRef<{ key: string; request: string }>(undefined);
  return useCallback(async <T>(request: unknown, send: (idempotencyKey: string) => Promise<T>): Promise<T> => {
    const fingerprint = JSON.stringify(request);
    const key = unanswered.current?.request === fingerprint ? unanswered.current.key : newIdempotencyKey();
    unanswered.current = { key, request: fingerprint };
    try {
      const answer = await send(key);
      unanswered.current = undefined;
      return answer;
    } catch (error) {
      if (!isUnanswered(error)) unanswered.current = undefined;
      throw error;
    }
  }, []);
}
