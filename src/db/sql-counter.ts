import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger as TypeOrmLogger } from "typeorm";
import type { Logger } from "pino";

/** What follows one request through every await: its id and how many SQL statements it sent. */
export interface RequestTally {
  requestId: string;
  statements: number;
  /** What the request read, for the response cache to know what a change invalidates. */
  reads?: CacheReads;
}

/** Dependencies of one response: the articles it shows and the lists it contains. */
export interface CacheReads {
  articleIds: Set<number>;
  storyKeys: Set<string>;
  /** Filters of every article list in the response (ArticleWhere objects). */
  lists: Array<Record<string, unknown>>;
  /** Languages whose related lists or search results the response contains; "*" for all. */
  languages: Set<string>;
  authorIds: Set<number>;
  tagIds: Set<number>;
  sections: boolean;
  authorList: boolean;
}

/** Notes what the current request read; a no-op outside requests or when nothing caches. */
export function noteRead(fn: (reads: CacheReads) => void): void {
  const reads = storage.getStore()?.reads;
  if (reads) fn(reads);
}

const storage = new AsyncLocalStorage<RequestTally>();

/** Runs `fn` (and everything it awaits) as part of the request `tally` describes. */
export function withRequestTally<T>(tally: RequestTally, fn: () => T): T {
  return storage.run(tally, fn);
}

export function currentRequest(): RequestTally | undefined {
  return storage.getStore();
}

/**
 * TypeORM logger that counts every statement against the current request's tally, and
 * sends errors and slow queries to the application log (without parameters, which may
 * carry user data).
 */
export class CountingLogger implements TypeOrmLogger {
  constructor(private readonly appLog?: Logger) {}

  logQuery(): void {
    const tally = storage.getStore();
    if (tally) tally.statements += 1;
  }

  logQueryError(error: string | Error, query: string): void {
    this.appLog?.warn({ err: error, sql: query.slice(0, 500) }, "sql error");
  }

  logQuerySlow(time: number, query: string): void {
    this.appLog?.warn({ ms: time, sql: query.slice(0, 500) }, "slow sql");
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.appLog?.info(message);
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.appLog?.warn(String(message));
  }
}
