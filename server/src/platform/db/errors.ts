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
