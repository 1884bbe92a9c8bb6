type PgError = { code?: string; constraint?: string };

function pgErrorOf(error: unknown): PgError | undefined {
  for (let current = error; current && typeof current === 'object'; current = (current as { cause?: unknown }).cause) {
    if (typeof (current as PgError).code === 'string' && (current as PgError).code?.length === 5) return current as PgError;
  }
  return undefined;
}

/** The violated unique constraint's name, when the error is a unique violation (SQLSTATE 23505). */
export function uniqueViolation(error: unknown): string | undefined {
  const pgError = pgErrorOf(error);
  return pgError?.code === '23505' ? (pgError.constraint ?? '') : undefined;
}

/** The SQLSTATE of a PostgreSQL error wrapped anywhere in the cause chain. */
export function sqlState(error: unknown): string | undefined {
  return pgErrorOf(error)?.code;
}

// Connection-level SQLSTATEs (class 08) and a server shutting down, starting up or crashed (57P0x).
const unavailableStates = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const unavailableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const unavailableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'not queryable',
  'Cannot use a pool after calling end',
];

/**
 * The database could not be reached or went away mid-query: nothing is wrong with the request,
 * and the same request later may well succeed (503, not 500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (unavailableStates.has(code) || unavailableSocketCodes.has(code))) return true;
    if (typeof message === 'string' && unavailableMessages.some((text) => message.includes(text))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A statement PostgreSQL canceled (SQLSTATE 57014): it ran past `statement_timeout`
 * (DATABASE_STATEMENT_TIMEOUT_MS; waiting for a lock counts) or an operator canceled it. Nothing
 * it did stays, and the same request later may succeed (503, not 500).
 */
export function isStatementCanceled(error: unknown): boolean {
  return sqlState(error) === '57014';
}

/**
 * The database failed for a while, not the request or the event: it is away, or it canceled a
 * statement. Worth trying again (a request hears 503; an event handler is retried without counting
 * an attempt towards a dead letter).
 */
export function isTemporaryDatabaseFailure(error: unknown): boolean {
  return isDatabaseUnavailable(error) || isStatementCanceled(error);
}

/** What the log says of a temporary database failure: which of the two it was. */
export function temporaryFailureReason(error: unknown): string {
  return isStatementCanceled(error) ? 'a statement ran past its time limit and was canceled' : 'the database is unavailable';
}
