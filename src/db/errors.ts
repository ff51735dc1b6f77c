import { retryReason } from "./transaction";

/**
 * A value the caller gave that the stored data refuses (a slug already in use). This layer knows
 * nothing of GraphQL: the error formatter answers it as BAD_USER_INPUT, naming the field.
 */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = "InvalidInputError";
  }
}

/** Driver error codes that mean "the database is not there right now", not "this query is wrong". */
const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "POOL_CLOSED",
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (
      typeof message === "string" &&
      /Connection lost|connect ECONNREFUSED|Pool is closed|Can't add new command when connection is in closed state/i.test(
        message,
      )
    ) {
      return true;
    }
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A statement stopped by the statement time limit. */
export function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ER_STATEMENT_TIMEOUT" || code === "ER_QUERY_TIMEOUT" || (e as { errno?: unknown }).errno === 1969)
      return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The server's condition, not the client's mistake: answered as SERVICE_UNAVAILABLE (503). A
 * deadlock or lock wait that outlived every retry of `inTransaction` is one too: the same request
 * sent again a moment later succeeds.
 */
export const isServiceUnavailable = (err: unknown): boolean =>
  isDatabaseUnavailable(err) || isStatementTimeout(err) || retryReason(err) !== undefined;
