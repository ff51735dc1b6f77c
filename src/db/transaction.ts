import { Mutex } from "async-mutex";
import { backOff } from "exponential-backoff";
import type { DataSource, EntityManager } from "typeorm";
import { transactionRetries, transactionsAbandoned } from "../metrics/metrics";

/** Why the database asked for a transaction to be run again. */
export type RetryReason = "deadlock" | "lock_wait_timeout" | "busy" | "race";

/**
 * The database's own "run this transaction again" answers: an InnoDB deadlock victim (1213) or
 * lock-wait timeout (1205), SQLite's busy database, and a unique key taken by a transaction that
 * committed while this one ran. Nothing else is retried: a bad statement or a foreign key
 * violation would fail the same way again.
 */
export function retryReason(err: unknown): RetryReason | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (code === "ER_LOCK_DEADLOCK" || errno === 1213) return "deadlock";
    if (code === "ER_LOCK_WAIT_TIMEOUT" || errno === 1205) return "lock_wait_timeout";
    if (typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"))) return "busy";
    // A unique row (a slug, a tag, a client mutation id) that a concurrent transaction stored after
    // this one looked for it: run again, the body's own existence checks then see it.
    if (code === "ER_DUP_ENTRY" || errno === 1062 || code === "SQLITE_CONSTRAINT_UNIQUE") return "race";
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface TransactionOptions {
  /** Runs of the body in all, the first included. */
  attempts?: number;
  /** No retry starts after this many ms since the first run began: a request has a deadline. */
  budgetMs?: number;
  /** First backoff ceiling in ms; each retry doubles it (full jitter: a random wait below the ceiling). */
  delayMs?: number;
  maxDelayMs?: number;
}

const DEFAULTS: Required<TransactionOptions> = { attempts: 6, budgetMs: 3000, delayMs: 10, maxDelayMs: 400 };

/**
 * SQLite has one connection and one transaction at a time on it: a second BEGIN while one is open
 * fails ("cannot start a transaction within a transaction"). Writers of one database take turns.
 */
const sqliteWriters = new WeakMap<DataSource, Mutex>();
function sqliteWriter(ds: DataSource): Mutex {
  let mutex = sqliteWriters.get(ds);
  if (!mutex) sqliteWriters.set(ds, (mutex = new Mutex()));
  return mutex;
}

/**
 * Every write transaction of the gateway, the CLI and the importer runs through here. The whole
 * body runs again on a deadlock or lock-wait timeout (the database has already rolled the
 * transaction back), so the body must keep its per-attempt state inside itself: nothing it
 * collected in a failed run may leak into the next one. When every attempt failed, the last
 * error is thrown as it is; `isServiceUnavailable` answers it as SERVICE_UNAVAILABLE (503 with
 * Retry-After), never INTERNAL_SERVER_ERROR.
 */
export async function inTransaction<T>(
  ds: DataSource,
  body: (m: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const { attempts, budgetMs, delayMs, maxDelayMs } = { ...DEFAULTS, ...options };
  const started = Date.now();
  try {
    // READ COMMITTED on MySQL: no gap locks from the reads and range deletes of a write, so writers
    // of different rows do not block or deadlock each other over the gaps between them. Lost
    // updates are prevented where it matters by locking the row first and by version checks.
    const run = () =>
      ds.options.type === "better-sqlite3"
        ? sqliteWriter(ds).runExclusive(() => ds.transaction(body))
        : ds.transaction("READ COMMITTED", body);
    return await backOff(run, {
      numOfAttempts: attempts,
      startingDelay: delayMs,
      maxDelay: maxDelayMs,
      timeMultiple: 2,
      jitter: "full",
      delayFirstAttempt: false,
      retry: (err: unknown, attemptNumber: number) => {
        const reason = retryReason(err);
        if (!reason || Date.now() - started > budgetMs) return false;
        // Called after the last attempt too, when no retry follows.
        if (attemptNumber < attempts) transactionRetries.inc({ reason });
        return true;
      },
    });
  } catch (err) {
    const reason = retryReason(err);
    if (reason) transactionsAbandoned.inc({ reason });
    throw err;
  }
}
