import { QueryFailedError, type DataSource, type EntityManager } from "typeorm";
import { dialectOf, type Dialect } from "./data-source";
import { traceStatement } from "./sql-tracing";

/** mysql2's pool, as TypeORM's MySQL driver keeps it (one pool when there are no replicas). */
interface MysqlPool {
  getConnection(done: (err: Error | null, connection: MysqlConnection) => void): void;
}
interface MysqlConnection {
  query(
    text: string,
    params: unknown[],
    done: (err: (Error & { errno?: number }) | null, rows: unknown) => void,
  ): unknown;
  release(): void;
  destroy(): void;
}

/**
 * Errors after which mysql2's own pool.query drops the connection instead of reusing it: the server
 * became read-only (a failover). ER_OPTION_PREVENTS_STATEMENT, ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION,
 * ER_READ_ONLY_MODE.
 */
const READ_ONLY_ERRNOS = new Set([1290, 1792, 1836]);

/** A fragment of SQL with its positional parameters, so conditions compose without string games. */
export interface Sql {
  text: string;
  params: unknown[];
}

export const sql = (text: string, ...params: unknown[]): Sql => ({ text, params });

export function joinSql(parts: Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** Datetimes travel as UTC "YYYY-MM-DD HH:MM:SS.mmm": what both drivers store and compare as text. */
export function sqlDate(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** Reads a datetime back: mysql2 gives a Date (timezone "Z"), better-sqlite3 the stored text. */
export function readDate(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.includes("T") ? text : `${text.replace(" ", "T")}Z`);
}

/** A thin handle on the database for hand-written reads: the dialect and one way to run SQL. */
export class Db {
  readonly dialect: Dialect;
  /** Whether statements may go straight to mysql2's pool: MySQL without replicas. */
  private readonly pooled: boolean;

  constructor(readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
    this.pooled = this.dialect === "mysql" && !this.replicated;
  }

  /** The driver's current pool (a data source that was destroyed and opened again has a new one). */
  private get pool(): MysqlPool | undefined {
    return this.pooled ? (this.dataSource.driver as unknown as { pool?: MysqlPool }).pool : undefined;
  }

  /**
   * Runs a statement. `replica: true` marks a public read that a read replica may answer
   * (when DATABASE_REPLICA_URLS is set); everything else goes to the primary.
   */
  async query<T = Record<string, unknown>>(
    q: Sql,
    options: { manager?: EntityManager; replica?: boolean } = {},
  ): Promise<T[]> {
    if (options.replica && this.replicated) {
      const runner = this.dataSource.createQueryRunner("slave");
      try {
        return (await runner.query(q.text, q.params)) as T[];
      } finally {
        await runner.release();
      }
    }
    const pool = options.manager ? undefined : this.pool;
    if (pool) return (await this.direct(pool, q)) as T[];
    return (await (options.manager ?? this.dataSource.manager).query(q.text, q.params)) as T[];
  }

  /**
   * A statement outside a transaction, sent on mysql2's pool with its callback API: what TypeORM's
   * query runner would do for it (count it, trace it, log it when slow or failed, throw a
   * QueryFailedError), without its per-statement work: a query runner, its connect and release
   * promises, the event broadcasts, a copy of the rows, and mysql2's promise wrapper, which
   * require()s a module on every call (#16). The bookkeeping runs here, in the request's async
   * context, not in the driver's callback.
   *
   * The connection is taken and released here rather than with mysql2's pool.query: with
   * pool.query the rows of a statement outlived young-generation collections (a sequential loop
   * of the feed's statement: about 45% of what it allocated survived each scavenge and was
   * promoted, against almost nothing taking the connection as here), so every page read was
   * freed only by a full collection.
   */
  private async direct(pool: MysqlPool, q: Sql): Promise<unknown> {
    const logger = this.dataSource.logger;
    logger.logQuery(q.text, q.params);
    const started = Date.now();
    let rows: unknown;
    let failure: Error | undefined;
    try {
      rows = await new Promise((resolve, reject) =>
        pool.getConnection((err, connection) => {
          if (err) return reject(err);
          try {
            connection.query(q.text, q.params, (failed, result) => {
              if (failed && READ_ONLY_ERRNOS.has(failed.errno ?? 0)) connection.destroy();
              else connection.release();
              if (failed) reject(failed);
              else resolve(result);
            });
          } catch (thrown) {
            connection.release();
            reject(thrown as Error);
          }
        }),
      );
    } catch (err) {
      failure = err as Error;
    }
    const ms = Date.now() - started;
    traceStatement(this.dataSource, q.text, ms, failure);
    const slowMs = this.dataSource.options.maxQueryExecutionTime;
    if (slowMs && ms > slowMs) logger.logQuerySlow(ms, q.text, q.params);
    if (failure) {
      logger.logQueryError(failure, q.text, q.params);
      throw new QueryFailedError(q.text, q.params, failure);
    }
    return rows;
  }

  private get replicated(): boolean {
    return "replication" in this.dataSource.options && this.dataSource.options.replication !== undefined;
  }

  /** `IN (?, ?, ...)` for a non-empty list. */
  inList(column: string, values: readonly unknown[]): Sql {
    return { text: `${column} IN (${values.map(() => "?").join(", ")})`, params: [...values] };
  }
}
