/**
 * The one error type services throw. Each edge (CLI, HTTP, MCP, Slack) maps `code` once:
 * see `exitCodeFor` / `httpStatusFor` below.
 */
export type ErrorCode =
  | 'INVALID_INPUT' // a CLI flag, tool argument or request body is malformed
  | 'INVALID_CONFIG' // environment variables or policy file are wrong
  | 'IMPORT_FAILED' // CSV rows failed validation; details lists file:line: column: reason
  | 'NOT_FOUND' // a client, invoice, decision... does not exist
  | 'NO_DATA' // the database holds no imported data (empty or mistyped location)
  | 'AMBIGUOUS' // a name matches several clients; details lists candidates
  | 'CONFLICT' // the operation clashes with the current state (e.g. demo on a non-empty database)
  | 'FORBIDDEN' // the user lacks the rights the policy requires
  | 'UNAUTHORIZED' // missing or wrong credentials
  | 'DB_LOCKED' // another process holds the embedded database directory
  | 'DB_ERROR' // the database could not be opened or migrated
  | 'TAMPERED' // the audit chain does not verify
  | 'UPSTREAM' // an external service (LLM, SMTP, Slack) failed
  | 'BLOCKED'; // a guard (groundedness, legal lint) refused an output

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Structured extras: candidates, row errors, the offending field... */
    readonly details?: unknown,
    /** One sentence that tells the user how to fix it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * Bad input, named by its domain field ("days", "asOf"): each edge says it its own way (a CLI flag,
 * an MCP argument, a form field), from `details.field`.
 */
export const invalidInput = (field: string, message: string, hint?: string): AppError =>
  new AppError('INVALID_INPUT', `${field}: ${message}`, { field }, hint);

/** What a lookup found, or NOT_FOUND saying what was looked for and how to find it. */
export function foundOr<T>(
  value: T | null | undefined,
  message: string,
  details?: unknown,
  hint?: string,
): T {
  if (value === null || value === undefined) throw new AppError('NOT_FOUND', message, details, hint);
  return value;
}

const EXIT_CODES: Record<ErrorCode, number> = {
  INVALID_INPUT: 2,
  INVALID_CONFIG: 2,
  IMPORT_FAILED: 2,
  NOT_FOUND: 3,
  NO_DATA: 3,
  AMBIGUOUS: 3,
  CONFLICT: 4,
  FORBIDDEN: 5,
  UNAUTHORIZED: 5,
  DB_LOCKED: 6,
  DB_ERROR: 6,
  TAMPERED: 7,
  UPSTREAM: 8,
  BLOCKED: 9,
};

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_CONFIG: 500,
  IMPORT_FAILED: 422,
  NOT_FOUND: 404,
  NO_DATA: 404,
  AMBIGUOUS: 409,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  DB_LOCKED: 503,
  DB_ERROR: 503,
  TAMPERED: 500,
  UPSTREAM: 502,
  BLOCKED: 422,
};

/**
 * Said instead of reporting DSO 0 and EUR 0 as facts when nothing was ever imported. Services do not
 * know where the data lives; each edge re-raises it with its location (`withLocation`).
 */
export function noDataError(location?: string): AppError {
  return new AppError(
    'NO_DATA',
    `no data imported${location ? ` in ${location}` : ''}`,
    location ? { location } : undefined,
    'run `encours import FOLDER` with your CSV exports, or `encours demo` for a sample portfolio; check --db, DATABASE_URL or ENCOURS_DATA_DIR if the data is elsewhere',
  );
}

/** A NO_DATA error naming the database location; any other error unchanged. */
export const withLocation = (e: unknown, location: string): unknown =>
  isAppError(e) && e.code === 'NO_DATA' ? noDataError(location) : e;

export const exitCodeFor = (e: unknown): number => (isAppError(e) ? EXIT_CODES[e.code] : 1);
export const httpStatusFor = (e: unknown): number => (isAppError(e) ? HTTP_STATUS[e.code] : 500);

/** One line for humans: what went wrong, then how to fix it. */
export function describeError(e: unknown): string {
  if (isAppError(e)) return e.hint ? `${e.message}\n  hint: ${e.hint}` : e.message;
  return e instanceof Error ? `unexpected error: ${e.message}` : `unexpected error: ${String(e)}`;
}
