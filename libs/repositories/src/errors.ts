/** A row the caller named does not exist (an API maps it to 404). */
export class RecordNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordNotFoundError';
  }
}

/** The change contradicts the stored state (an API maps it to 409). */
export class RecordConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordConflictError';
  }
}

/** True for PostgreSQL's unique_violation (23505), as raised through TypeORM or pg. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when PostgreSQL refused the data itself: SQLSTATE class 22 (data exception: value too long, bad
 * encoding such as a NUL byte, numeric out of range) or 23 (a constraint). Retrying the same row cannot
 * succeed, unlike a connection error (class 08, 57P0x, socket errors), which says nothing about the row.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** A row PostgreSQL refused (isDataError) or that could not be turned into one; the caller dead-letters it. */
export class RejectedRowError extends Error {
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(`row ${key.slice(0, 128)} rejected: ${cause instanceof Error ? cause.message : String(cause)}`.slice(0, 500), { cause });
    this.name = 'RejectedRowError';
  }
}
